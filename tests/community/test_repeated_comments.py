"""The same comment sent again (a double click, a retry, a script) lands once: within a minute, a repeat is a 409."""
import threading
from datetime import timedelta

from tests.community.conftest import GOOD_COMMENT


def test_three_identical_simultaneous_comments_land_once(app, make, community):
    article = make.article()
    user = community.established(make.user(), article)
    token = make.token(user)
    start, statuses = threading.Barrier(3), []

    def send():
        client = app.test_client()
        start.wait()
        response = client.post(f"/api/v1/articles/{article.slug}/comments", json={"body": GOOD_COMMENT + " Again."},
                               headers={"Authorization": f"Bearer {token}"})
        statuses.append(response.status_code)

    threads = [threading.Thread(target=send) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [201, 409, 409]


def test_a_repeat_is_409_naming_the_body_and_allowed_after_a_minute(app, make, community):
    from exchange.community.models import Comment
    from exchange.db import db

    article = make.article()
    user = community.established(make.user(), article)
    token = make.token(user)
    assert community.post(token, article, GOOD_COMMENT + " Twice.").status_code == 201
    response = community.post(token, article, GOOD_COMMENT + " Twice.")
    assert response.status_code == 409 and "body" in response.json["error"]["fields"]
    assert community.post(token, make.article(), GOOD_COMMENT + " Twice.").status_code == 201  # elsewhere: fine
    with app.app_context():
        for comment in db.session.query(Comment).all():
            comment.created_at -= timedelta(minutes=2)
        db.session.commit()
    assert community.post(token, article, GOOD_COMMENT + " Twice.").status_code == 201

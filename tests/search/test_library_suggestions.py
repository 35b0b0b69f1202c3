"""The suggestion rules on the shipped library, where "drone" became "done" and "opne data" "one data"."""
from tests.search.conftest import search


def test_the_shipped_library_corrects_what_is_misspelt_and_nothing_else(runner, client):
    assert runner.invoke(args=["content", "load"]).exit_code == 0
    drone = search(client, q="drone")
    assert (drone["suggestion"], drone["corrected"]) == (None, None)
    # run corrected while the query needs all its words; offered when optional words find something
    offered = search(client, q="opne data")["corrected"] or search(client, q="opne data", as_typed="1")["suggestion"]
    assert offered == "open data"

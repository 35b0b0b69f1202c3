"""The site pages as shipped: what each says until an admin edits it.

The comment rules are written from the rules the code applies (``exchange.community.rules``), so
the page and the checks cannot drift apart; the block list is read from the running site's setting.
"""
from dataclasses import dataclass

from flask import current_app

from exchange.community import rules
from exchange.community.models import FLAG_REASONS


@dataclass(frozen=True)
class Default:
    title: str
    summary: str  # one line: the footer's and the About page's description of it


PAGES = {
    "about": Default("About the Exchange", "What the Exchange is and who runs it"),
    "how-it-works": Default("How it works", "Endorsing, adopting, challenges and ranking"),
    "comment-rules": Default("Comment rules", "The house rules every comment follows"),
    "accessibility": Default("Accessibility statement", "How accessible this site is and how to report a problem"),
    "privacy": Default("Privacy notice", "What is stored about you, what is counted without it, and for how long"),
    "contact": Default("Contact", "How to reach the team that runs the Exchange"),
}


def body(slug: str) -> str:
    """The shipped Markdown of a page."""
    return _BODIES[slug]()


def _about() -> str:
    return """The Exchange is where public agencies share what works. Staff of ministries, regions and
councils publish **case studies** (what we tried, what happened) and **playbooks** (how to do it),
and other agencies **endorse** them, or say they **adopted** them, so the practices other agencies
vouch for rise to the top.

It is for public servants who want to know whether someone has already solved their problem, and for
the teams who solved it and deserve the credit.

## Who can do what

- **Anyone** can read published practices, search them, and follow topics and agencies by feed.
- **Staff of a registered agency** can register with their work address, write practices, endorse and
  adopt others' work, comment and follow topics, agencies, practices and people.
- **Admins** feature practices, moderate comments and reports, and look after agencies and accounts.

## More about the Exchange

- [How it works](/about/how-it-works): endorsing, adopting, challenges and ranking
- [Comment rules](/about/comment-rules)
- [Accessibility statement](/about/accessibility)
- [Privacy notice](/about/privacy)
- [Contact](/about/contact)
"""


def _how_it_works() -> str:
    return """## Sharing a practice

Staff of an agency write a **case study** (from a template after the OECD OPSI case-study form:
context, challenge, what we did, results, failures, conditions for success, whether it could work
elsewhere, lessons, contact) or a **playbook** (plays, each with why it matters, a checklist and key
questions). A draft is seen only by its agency and the admins until it is published.

Case studies state their **evidence level**, from 1 (we can describe why it should work) to 5 (it was
replicated and scaled elsewhere), and every practice its **stage**: idea, pilot, implemented, scaled or
retired.

## Endorsing and adopting

- **Endorse** a practice when you vouch for it: you know it is sound and others should look at it.
- **Adopt** it when your agency used it: say so with a short note on what you took and what happened.
  Adoptions are the strongest signal the Exchange has.

Authors cannot endorse their own practice. You can change or withdraw your endorsement at any time.

## Challenges

An agency can post a **challenge**: a problem it has not solved yet. Other agencies answer with the
practices that helped them, and what helped is recorded on the practice.

## Ranking

Lists sorted by **most endorsed** add up the weight of each endorsement: an adoption weighs 3, an
endorsement 1; endorsements from the practice's own agency count a quarter, and each further one from
the same agency counts less. **Trending** counts the same weights, halving every 30 days, so recent
support counts most. Every practice says in one sentence why it ranks where it does.
[How ranking works, in full](/about/ranking).

## Staying up to date

Follow a topic, an agency, a practice or a person to hear of what is new, on the site and by email
as often as you choose; or subscribe to a topic's or an agency's feed in a feed reader.
"""


def _comment_rules() -> str:
    blocked = current_app.config.get("COMMENT_LINK_BLOCKLIST") or []
    blocked_line = (f"Links to these sites are refused: {', '.join(blocked)} (and their subdomains). "
                    "Link to the page itself, on a site readers can trust."
                    if blocked else "Link to the page itself, on a site readers can trust.")
    reasons = "\n".join(f"- {label}" for label in FLAG_REASONS.values())
    return f"""Comments are for public servants to learn from each other. These rules are the ones the site
applies when you send a comment: a comment that breaks one is refused with a message saying which,
and what you typed is kept so you can change it.

## 1. A comment must add something

A question, an experience from your agency, a resource. Short thanks or praise such as "great post",
"+1" or "thanks!" are refused: endorse the practice instead, so its authors hear from you and it
ranks higher. One word that carries content is enough: "Thanks — we tried
the same in Leeds and cut calls by 20%" is welcome.

## 2. Keep it short, with at most {rules.MAX_LINKS} link

A comment may be at most {rules.MAX_BYTES // 1000} KB long and hold at most {rules.MAX_LINKS} link.
{blocked_line}

## 3. New accounts' links wait for a moderator

A comment with a link from an account younger than {rules.NEW_ACCOUNT_DAYS} days, or from someone
whose comments have not been published here before, waits for an admin to approve it before others
see it. After one of your comments with a link is approved, your links go straight through.

## 4. Be fair to the people behind a practice

Criticise the practice, not the person. No personal data about others, no abuse, no advertising.

## Reporting a problem

Any member can report a practice or a comment to the moderators, for one of these reasons:

{reasons}

Moderators may hide a comment that breaks these rules; its author can still see it. Authors can
edit or delete their own comments at any time.
"""


def _accessibility() -> str:
    return """This statement applies to the Exchange: its pages, its forms and its printed pages.

We want as many people as possible to be able to use this site. You should be able to:

- change colours, contrast levels and fonts, and zoom up to 400% without the text spilling off the
  screen;
- use the whole site with a keyboard alone, and see where you are on the page;
- use it with a screen reader (such as NVDA, JAWS or VoiceOver) and with speech recognition;
- use it on a phone, without scrolling sideways;
- use it without JavaScript: scripts only add conveniences.

## How accessible this site is

We aim to meet the **Web Content Accessibility Guidelines (WCAG) version 2.2 at level AA**. Every
page has landmarks, a skip link, labelled form fields, visible focus, sufficient colour contrast and
error summaries that name the field to fix.

Parts that may not be fully accessible:

- practices are written by many agencies: an image without a description, or a table without
  headings, may come from the text an author wrote;
- files attached to a practice (documents and slides) are the agencies' own and may not be accessible.

## How we tested this site

Every kind of page is tested automatically, on every change, in a real browser (Chromium) at a
desktop width (1280 pixels) and a phone width (390 pixels) with **axe-core**, which must find no
violation; the phone tests also check that nothing scrolls sideways. Keyboard journeys (signing in,
writing, endorsing, commenting) are tested with the keyboard alone, and every page's HTML is checked
with the Nu HTML validator.

## Reporting a problem

If you find a problem that we have not listed, or you need something on this site in a different
format, [contact us](/about/contact): say which page (its address) and what went wrong. We will reply
within 5 working days.

You can also use "Is this page useful?" at the foot of the page: say "No" and tell us what is wrong.

## Enforcement

If you are not happy with how we respond, contact the body that enforces accessibility regulations
in your country (for example, in the UK, the Equality Advisory and Support Service).
"""


def _privacy() -> str:
    return """This notice says what the Exchange stores about you, what it counts without knowing who you
are, and how long it keeps each.

## If you only read

We set **no cookie** until you sign in or send a form, and keep no record of who you are.

- **Searches** are logged without any identity (the words, the number of results, the time), so admins
  can see what people look for and do not find.
- **Article views** are counted per article and per day, with no cookie and nothing that identifies
  you or your device.
- **"Is this page useful?"** answers are stored with the page, "yes" or "no" and your comment, if you
  write one: never who you are. Do not put personal details in the comment.

## If you have an account

- **Your account**: name, work email address, agency, role, a hash of your password (never the
  password itself), when you last signed in, and your second sign-in factor if you are an admin.
- **What you write and do**: practices and their revisions, comments, endorsements and adoptions
  (with their notes), reports to the moderators, what you follow, your notifications and email
  preferences. Practices, endorsements and comments are public once published, with your name.
- **Emails** waiting to be sent to you, and the record that they were.
- **Admins' actions** are written to an audit log (who did what, when).

Cookies: a session cookie keeps you signed in (it ends when you sign out, after 30 minutes without
activity, or after 12 hours); "keep me signed in" adds a cookie for 14 days. Both are needed for the
site to work, and neither is used to track you.

## How long we keep it

- Your account and what you wrote are kept while your account exists. Ask an admin to deactivate it;
  published practices stay, as their agency's record.
- Sign-in links and password-reset links work once and expire (24 hours and 60 minutes).
- Failed sign-in attempts are forgotten after a day.
- Search logs, view counts and page feedback hold no personal data and are kept to show trends.

## Your rights

You can ask to see the personal data we hold about you, have it corrected, or have it deleted where
the law allows. [Contact us](/about/contact).
"""


def _contact() -> str:
    return """## About a practice

Each practice names its agency and author: for a question about what they did, comment on the
practice (see the [comment rules](/about/comment-rules)) or follow the contact section of the case
study.

## About this site

For a problem with the site, its accessibility, your account or your data, write to the team that
runs the Exchange. An admin of this site sets the address here (Admin → Site pages → Contact).

To report something wrong on a page, use "Is this page useful?" at its foot, or report a practice or
comment to the moderators with **Report**.
"""


_BODIES = {"about": _about, "how-it-works": _how_it_works, "comment-rules": _comment_rules,
           "accessibility": _accessibility, "privacy": _privacy, "contact": _contact}

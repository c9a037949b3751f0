"""Every id on a main page is unique and every label points to a field (issue 22: the
agenda page's two forms shared id_meeting / id_meeting_date, so "Mødedato" labelled the
other form's field). Checked in Chromium on the rendered DOM, as the page's usual user;
the pages added with the meetings work (agenda, work plan, whole plan, political
treatment) also get axe."""

from __future__ import annotations

import pytest

from plans.demo import DemoResult
from plans.models import Item
from tests.browser.conftest import Site, assert_no_axe_violations
from tests.browser.test_accessibility import MAIN_PAGES, SLUG, MainPage, meeting_pk, resolve

pytestmark = pytest.mark.browser


def au_item_pk(demo: DemoResult) -> int:
    return Item.objects.get(plan=demo.plan, number="R307", committee__code="AU").pk


PAGES = [
    *MAIN_PAGES,
    MainPage("agenda-draft", "committees:agenda_draft", "sekretaer", lambda d: (SLUG, "AU")),
    MainPage("agenda-template", "committees:agenda_template", "admin", lambda d: ()),
    MainPage("work-plan", "committees:work_plan", "sekretaer", lambda d: (SLUG, "AU")),
    MainPage("whole-plan", "plans:whole_plan", "oekonomichef"),
    MainPage("treatment", "committees:treatment_edit", "admin", lambda d: (SLUG, au_item_pk(d))),
    MainPage("meeting-new", "committees:meeting_create", "sekretaer"),
]

# Duplicate ids, labels pointing at nothing (or at something that is not a field), and
# labels without `for` that hold no field.
CHECK = """() => {
  const ids = [...document.querySelectorAll('[id]')].map(el => el.id);
  const duplicates = [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];
  const fields = 'input:not([type=hidden]), select, textarea, button, meter, output, progress';
  const broken = [];
  document.querySelectorAll('label').forEach(label => {
    const target = label.htmlFor ? document.getElementById(label.htmlFor) : null;
    if (label.htmlFor && !(target && target.matches(fields))) broken.push(label.outerHTML);
    if (!label.htmlFor && !label.querySelector(fields)) broken.push(label.outerHTML);
  });
  return {duplicates, broken};
}"""

USERS = sorted({page.username or "" for page in PAGES})


@pytest.mark.parametrize("username", USERS, ids=[u or "anonymous" for u in USERS])
def test_ids_are_unique_and_labels_point_to_fields(
    site: Site, demo: DemoResult, username: str
) -> None:
    if username:
        site.login(username)
    failures = []
    for main_page in [p for p in PAGES if (p.username or "") == username]:
        response = site.page.goto(site.base_url + resolve(main_page, demo))
        assert response is not None and response.ok, (main_page.id, response and response.status)
        found = site.page.evaluate(CHECK)
        if found["duplicates"] or found["broken"]:
            failures.append(f"{main_page.id}: {found}")
        if main_page not in MAIN_PAGES:  # the main pages get axe in test_accessibility
            try:
                assert_no_axe_violations(site.page)
            except pytest.fail.Exception as failure:
                failures.append(f"{main_page.id}: {failure}")
    if failures:
        pytest.fail("\n".join(failures), pytrace=False)


def test_the_agenda_page_with_a_meeting_has_unique_ids(site: Site, demo: DemoResult) -> None:
    site.login("sekretaer")
    site.goto("committees:agenda_draft", SLUG, "AU", query=f"meeting={meeting_pk(demo)}")
    found = site.page.evaluate(CHECK)
    assert found == {"duplicates": [], "broken": []}
    # Each form's "Mødedato" labels its own field.
    assert site.page.get_by_label("Mødedato").count() >= 1

"""One person walking the site in a browser, and everything the walk refuses to see.

On every page: no English or developer text (ui_checks.bad_text), no console or page error, no
response of the site's own that is a 5xx or says 403/409 (its status, or the SafeLoop-Refusal
header a page sets when it shows a refusal: core/middleware.py). Each visible link is opened
(GET), each visible POST form is pressed as shown, filled as a user would, in a dry run that the
server rolls back (SafeLoop-Dry-Run): a link or button that answers 403, 404, 409 or 5xx is a
problem. Problems are collected, so one run names them all.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urljoin, urlsplit

from tests.browser.ui_checks import bad_text

# Values a user would type, by field name (what is not listed gets a neutral sentence).
TYPED = {
    "opinion": "经现场核查，情况属实，同意。",
    "reason": "经核查，需要调整。",
    "responsible_unit": "生产安全部",
    "responsible_person": "李明",
    "deadline_days": "10",
    "measures": "更换损坏设备，完善安全警示标志",
    "funds": "3.5万",
    "goal": "彻底消除隐患",
    "contingency_plan": "整改期间停用相关区域，专人值守",
    "note": "已按要求整改到位。",
    "requirement": "按期完成整改并报送整改情况",
    "description": "二号仓库消防通道堆放杂物",
    "location": "二号仓库",
    "fixer": "仓管员李四",
    "clause": "化工121-12",
    "body": "请抓紧整改。",
}
# Pages for the developers who connect other systems: their content is the API contract (field
# names, methods, schemas: English by contract) inside Swagger UI's own English interface. The
# walk waits for them to render and asks only that the introduction is Chinese.
DEVELOPER_PAGES = ("/api/v1/docs",)
SKIP_FORMS = ("/accounts/logout/", "/accounts/login/")
SKIP_LINKS = re.compile(r"^/(accounts/logout|static/)")
# Forms the walk does not press: changing one's own password (a dry run would still need the
# current password typed, and the walk would learn nothing more).
SKIP_PRESS = re.compile(r"^/accounts/password/")

COLLECT = """() => {
  const shown = el => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  const links = [...document.querySelectorAll('a[href]')].filter(shown).map(a => a.href);
  const forms = [...document.querySelectorAll('form')].filter(f => f.method === 'post' && shown(f))
    .map((f, i) => { f.dataset.walk = String(i); return {key: String(i), action: f.action,
      multipart: f.enctype === 'multipart/form-data'}; });
  const said = [...document.querySelectorAll('[title],[placeholder],[aria-label],img[alt],option')]
    .map(el => [el.title, el.placeholder, el.getAttribute('aria-label'), el.alt, el.tagName === 'OPTION' ? el.textContent : '']
    .filter(Boolean).join(' ')).join('\\n');
  return {links, forms, said: said + '\\n' + document.title};
}"""

FILL = """(form, [typed, all]) => {
  // What a hurried user sends: every required field filled (typed words, the first option of a
  // list, a date three days on, the first proof ticked), the rest left as shown.
  const later = new Date(Date.now() + 3 * 86400000).toISOString().slice(0, 10);  // within most deadlines
  const required = el => all || !!(el.closest('.field') || el).querySelector('.req') || el.required;
  const pairs = []; const files = [];
  for (const el of form.elements) {
    if (!el.name || el.disabled) continue;
    if (el.type === 'file') { files.push(el.name); continue; }
    if (el.type === 'checkbox') {
      const group = form.querySelectorAll(`input[type=checkbox][name="${el.name}"]`);
      if (!el.checked && required(el) && group[0] === el && ![...group].some(b => b.checked)) el.checked = true;
      if (el.checked) pairs.push([el.name, el.value]);
      continue;
    }
    if (el.type === 'radio') { if (el.checked) pairs.push([el.name, el.value]); continue; }
    if (!el.value && el.type !== 'hidden' && required(el)) {
      if (el.tagName === 'SELECT') el.value = ([...el.options].find(o => o.value) || {value: ''}).value;
      else if (el.type === 'date') el.value = later;
      else if (el.type === 'number') el.value = '5';
      else el.value = typed[el.name] || (el.tagName === 'TEXTAREA' ? '经现场检查，情况如上。' : '现场核查');
    }
    pairs.push([el.name, el.value]);
  }
  return {pairs, files};
}"""


@dataclass
class Registry:
    """What a role's walks have checked already (the phone walk skips what the desktop walk
    opened): link shapes, form targets, cards."""

    links: dict[str, set[str]] = field(default_factory=dict)
    forms: dict[str, set[str]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=lambda: {"pages": 0, "links": 0, "forms": 0, "cards": 0})
    slowest: list[tuple[float, str]] = field(default_factory=list)

    def timed(self, seconds: float, what: str) -> None:
        self.slowest = sorted([*self.slowest, (seconds, what)], reverse=True)[:15]


REGISTRY = Registry()  # one per test session: the walks of a role share what they checked


def shape(url: str) -> str:
    """A link's kind: its path with ids folded and the names of its query (a filter's values
    and the page number ask the same view the same question)."""
    parts = urlsplit(url)
    path = re.sub(r"[0-9a-f]{8}-[0-9a-f-]{27}|\d+", "N", parts.path)
    query = sorted({k for k, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return path + "?" + "&".join(query)


class Walker:
    def __init__(
        self,
        *,
        playwright,
        browser,
        site,
        username: str,
        size_name: str,
        size: dict,
        data: frozenset[str],
        registry: Registry,
        shots: Path,
        png: Path,
    ):
        self.site, self.base, self.username, self.size_name = site, site.url, username, size_name
        self.context = browser.new_context(viewport=size, locale="zh-CN")
        self.context.set_default_timeout(15000)
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.data = data  # Latin words that are data (usernames), allowed on pages
        self.registry, self.shots, self.png = registry, shots, png
        self.playwright = playwright
        self.page.on("console", lambda m: m.type == "error" and self.problem(f"console: {m.text}"))
        self.page.on("pageerror", lambda e: self.problem(f"page error: {e}"))
        self.page.on("response", self._response)
        self.probe = None

    # -- bookkeeping --------------------------------------------------------------------------
    def problem(self, text: str) -> None:
        where = self.page.url.removeprefix(self.base) if self.page else ""
        self.problems.append(f"[{self.username} {self.size_name} {where}] {text}")

    def _response(self, response) -> None:
        if not response.url.startswith(self.base):
            return
        refusal = response.headers.get("safeloop-refusal", "")
        if response.status >= 500 or response.status in (403, 404, 409):
            self.problem(f"{response.request.method} {response.url.removeprefix(self.base)} → {response.status}")
        if re.search(r"\b(403|409)\b", refusal):
            self.problem(f"{response.request.method} {response.url.removeprefix(self.base)} refused: {refusal}")

    def close(self) -> None:
        if self.probe is not None:
            self.probe.dispose()
        self.context.close()

    # -- moving -------------------------------------------------------------------------------
    def login(self) -> None:
        self.page.goto(f"{self.base}/accounts/login/")
        self.page.fill("input[name=username]", self.username)
        self.page.fill("input[name=password]", self.site.password)
        self.page.click("button[type=submit]")
        self.page.wait_for_url(f"{self.base}/")
        state = self.context.storage_state()
        self.probe = self.playwright.request.new_context(
            base_url=self.base, storage_state=state, extra_http_headers={"SafeLoop-Dry-Run": "1"}
        )
        self.look("home")

    def go(self, path: str, name: str = "") -> None:
        self.page.goto(urljoin(self.base, path))
        self.look(name)

    def click(self, locator, name: str = "") -> None:
        locator.first.click()
        self.page.wait_for_load_state("load")
        self.look(name)

    def menu(self) -> list[tuple[str, str]]:
        """The menu's entries (label, path), opened as a phone user opens it."""
        toggle = self.page.locator("label.nav-button")
        if toggle.is_visible():
            toggle.click()
        entries = self.page.locator("nav.menu a")
        found = [(a.inner_text().strip("⌂⚠▦◎✚☺⇄⚙ \n"), a.get_attribute("href")) for a in entries.all()]
        if toggle.is_visible():
            toggle.click()
        return found

    # -- looking ------------------------------------------------------------------------------
    def look(self, name: str = "") -> None:
        """Every check of the page now shown; a screenshot when it has a name."""
        started = time.monotonic()
        self._look(name)
        self.registry.timed(time.monotonic() - started, f"page {self.page.url.removeprefix(self.base)}")

    def _look(self, name: str) -> None:
        page = self.page
        page.wait_for_load_state("load")
        self.registry.counts["pages"] += 1
        if urlsplit(page.url).path in DEVELOPER_PAGES:
            self._developer_page(name)
            return
        seen = page.evaluate(COLLECT)
        text = page.inner_text("body") + "\n" + seen["said"]
        for word in self.data:
            text = text.replace(word, "")
        for bad in bad_text(text):
            self.problem(f"developer or English text: {bad!r}")
        if page.evaluate("document.documentElement.scrollWidth") > page.viewport_size["width"] + 1:
            self.problem("the page is wider than the screen")
        if name:
            page.screenshot(path=self.shots / f"{self.username}-{name}-{self.size_name}.png", full_page=True)
        self._links(seen["links"])
        self._forms(seen["forms"])

    def _developer_page(self, name: str) -> None:
        intro = self.page.locator(".swagger-ui .info")
        intro.wait_for()
        if not re.search(r"[\u4e00-\u9fff]{8,}", intro.inner_text()):
            self.problem("the API documentation has no Chinese introduction")
        if name:
            self.page.screenshot(path=self.shots / f"{self.username}-{name}-{self.size_name}.png")

    def _links(self, links: list[str]) -> None:
        done = self.registry.links.setdefault(self.username, set())
        for url in links:
            parts = urlsplit(url)
            if not url.startswith(self.base) or SKIP_LINKS.match(parts.path) or not parts.path:
                continue
            if parts.path == urlsplit(self.page.url).path and parts.fragment:
                continue  # an anchor on this page
            key = shape(url)
            if key in done:
                continue
            done.add(key)
            self.registry.counts["links"] += 1
            started = time.monotonic()
            response = self.probe.get(url, max_redirects=5)
            self.registry.timed(time.monotonic() - started, url.removeprefix(self.base))
            if response.status >= 400:
                self.problem(f"link {url.removeprefix(self.base)} → {response.status}")
            response.dispose()

    def _forms(self, forms: list[dict]) -> None:
        done = self.registry.forms.setdefault(self.username, set())
        for form in forms:
            path = urlsplit(form["action"]).path
            if path in SKIP_FORMS or SKIP_PRESS.match(path):
                continue
            key = shape(form["action"]) + f"@{shape(self.page.url)}"
            if key in done:
                continue
            done.add(key)
            self.press(form)

    def press(self, form: dict) -> None:
        """The form as a user would send it (typed values where empty, the first option of a
        list, a photo for a file input), in a dry run."""
        self.registry.counts["forms"] += 1
        element = self.page.locator(f'form[data-walk="{form["key"]}"]')
        values = element.evaluate(FILL, [TYPED, False])
        target = form["action"]
        if form["multipart"] or values["files"]:
            payload = dict(values["pairs"])
            for name in values["files"]:
                payload[name] = {"name": "walk.png", "mimeType": "image/png", "buffer": self.png.read_bytes()}
            response = self.probe.post(target, multipart=payload, max_redirects=0)
        else:
            response = self.probe.post(target, form=dict(values["pairs"]), max_redirects=0)
        refusal = response.headers.get("safeloop-refusal", "")
        if response.status >= 500 or response.status in (403, 404, 409) or re.search(r"\b(403|409)\b", refusal):
            self.problem(f"button → POST {target.removeprefix(self.base)} → {response.status} {refusal}")
        response.dispose()

    # -- acting -------------------------------------------------------------------------------
    def error_box(self) -> str:
        box = self.page.locator(".error-box:visible, .field-error:visible, .msg-error:visible")
        return " / ".join(box.all_inner_texts())

    def submit(self, form, button_name: str, name: str = "") -> bool:
        """Fill the required fields as a user would and press the button for real. A refusal
        that names fields gets a second try with every field filled (as a user reading the
        message would); a second refusal is a problem."""
        for everything in (False, True):
            with self.page.expect_navigation():
                form.evaluate(FILL, [TYPED, everything])
                for file_input in form.locator("input[type=file]").all():
                    file_input.set_input_files(str(self.png))
                form.get_by_role("button", name=button_name, exact=True).click()
            self.look(name)
            refused = self.error_box()
            if not refused:
                return True
            form = self.refused_form(form)
            if form is None:
                break
        self.problem(f"{button_name} refused: {refused}")
        return False

    def refused_form(self, form):
        """The same form after a refusal (a hazard's action opens again with its messages)."""
        for selector in ("details.action[open] form", "main form.form-grid"):
            again = self.page.locator(selector)
            if again.count():
                return again.first
        return None

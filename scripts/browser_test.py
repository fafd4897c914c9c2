#!/usr/bin/env python3
"""Drives the dealer portal in headless Chromium over the DevTools protocol (on a pipe, so no
websocket library is needed): sign in with a token, upload a sell-out file with an error and a
good one, see the progress bars and a statement, print the statement to PDF.
Usage: browser_test.py BASE_URL DEALER TOKEN PERIOD WORKDIR   (exit 0 when every check passes)"""
import json, os, subprocess, sys, time

base, dealer, token, period, work = sys.argv[1:6]
TIMEOUT_S = 30


class Browser:
    def __init__(self):
        to_child_r, self.to_child = os.pipe()
        self.from_child, from_child_w = os.pipe()

        def wire():  # the child's fd 3 reads commands, fd 4 writes replies
            commands, replies = os.dup(to_child_r), os.dup(from_child_w)  # above 3 and 4
            os.dup2(commands, 3)
            os.dup2(replies, 4)

        self.process = subprocess.Popen(
            ["chromium", "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-dev-shm-usage", "--remote-debugging-pipe",
             f"--user-data-dir={work}/chromium-profile", "about:blank"],
            preexec_fn=wire, pass_fds=(3, 4, to_child_r, from_child_w),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_child_r)
        os.close(from_child_w)
        self.next_id = 0
        self.buffer = b""
        self.events = []
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        self.call("Page.enable", session=True)
        self.call("DOM.enable", session=True)

    def read_message(self):
        deadline = time.time() + TIMEOUT_S
        while b"\0" not in self.buffer:
            if time.time() > deadline:
                raise TimeoutError("no message from chromium")
            chunk = os.read(self.from_child, 1 << 20)
            if not chunk:
                raise RuntimeError("chromium closed the pipe")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def call(self, method, params=None, session=False):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = self.session
        os.write(self.to_child, json.dumps(message).encode() + b"\0")
        while True:
            reply = self.read_message()
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_load(self):
        deadline = time.time() + TIMEOUT_S
        while time.time() < deadline:
            for index, event in enumerate(self.events):
                if event.get("method") == "Page.loadEventFired":
                    del self.events[: index + 1]
                    return
            self.events.append(self.read_message())
        raise TimeoutError("page did not load")

    def navigate(self, url):
        self.events.clear()
        self.call("Page.navigate", {"url": url}, session=True)
        self.wait_load()

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session=True)
        return result["result"].get("value")

    def submit(self, form_id):
        """Submits a form as a user's click does (the test drives the page; the page has no script)."""
        self.events.clear()
        self.evaluate(f"document.getElementById('{form_id}').requestSubmit()")
        self.wait_load()

    def set_file(self, selector, path):
        root = self.call("DOM.getDocument", session=True)["root"]["nodeId"]
        node = self.call("DOM.querySelector", {"nodeId": root, "selector": selector}, session=True)["nodeId"]
        self.call("DOM.setFileInputFiles", {"nodeId": node, "files": [path]}, session=True)

    def close(self):
        self.process.terminate()
        self.process.wait(timeout=10)


failures = []


def check(condition, what):
    print(("ok   " if condition else "FAIL ") + what)
    if not condition:
        failures.append(what)


browser = Browser()
try:
    browser.navigate(f"{base}/portal")
    check(browser.evaluate("document.title").startswith("Sign in"), "the sign-in page opens")
    check(browser.evaluate("document.scripts.length") == 0, "the portal page has no script")
    browser.evaluate(f"document.querySelector('input[name=token]').value = {json.dumps(token)}")
    browser.submit("sign-in")
    check(browser.evaluate("location.pathname") == f"/portal/dealers/{dealer}",
          "signing in lands on the dealer's own page")
    progress = browser.evaluate("(document.getElementById('progress') || {}).innerText || ''")
    check("volume_bonus" in progress or "volume" in progress, f"progress shows the volume bonus: {progress!r}")
    check(browser.evaluate("document.querySelectorAll('[role=progressbar]').length") >= 2,
          "progress bars toward the next tier and the reporting bonus")

    bad = os.path.join(work, "july-bad.csv")
    with open(bad, "w") as file:
        file.write("Date,SKU,Qty\n2026-07-15,NO-SUCH-SKU,5\n2026-08-02,SKU-1,3\n")
    browser.evaluate("document.querySelector('#upload-form input[name=month]').value = '2026-07'")
    browser.set_file("#upload-form input[name=file]", bad)
    browser.submit("upload-form")
    rows = browser.evaluate("Array.from(document.querySelectorAll('#errors tbody tr')).map(r => r.innerText)")
    check(rows is not None and len(rows) == 2, f"the rejected file lists both errors line by line: {rows}")
    check(rows is not None and any("NO-SUCH-SKU" in row for row in rows), "the unknown SKU is named")

    good = os.path.join(work, "july-good.csv")
    with open(good, "w") as file:
        file.write("Date,SKU,Qty\n2026-07-15,SKU-1,5\n2026-07-20,SKU-1,3\n")
    browser.navigate(f"{base}/portal/dealers/{dealer}")
    browser.evaluate("document.querySelector('#upload-form input[name=month]').value = '2026-07'")
    browser.set_file("#upload-form input[name=file]", good)
    browser.submit("upload-form")
    accepted = browser.evaluate("(document.getElementById('accepted') || {}).innerText || ''")
    check("stored as version 1 with 2 lines" in accepted, f"the good file is accepted: {accepted!r}")
    check(browser.evaluate("document.querySelectorAll('#lines tbody tr').length") == 2,
          "the accepted lines are shown")

    browser.navigate(f"{base}/portal/dealers/{dealer}")
    check(browser.evaluate("document.querySelectorAll('#submissions tbody tr').length") == 1,
          "the dealer page lists the submission")
    browser.evaluate(f"document.querySelector('#statement-form input[name=period]').value = '{period}'")
    browser.submit("statement-form")
    text = browser.evaluate("document.body.innerText")
    check(dealer in text and period in text, "the statement opens")
    pdf = browser.call("Page.printToPDF", {"preferCSSPageSize": True}, session=True)["data"]
    check(len(pdf) > 1000, "the statement prints to PDF")
    browser.call("Page.captureScreenshot", {}, session=True)

    browser.navigate(f"{base}/portal/dealers/D-NOT-MINE")
    check("E-HTTP-FORBIDDEN" in browser.evaluate("document.body.innerText"),
          "another dealer's page is refused")
finally:
    browser.close()

print(f"browser test: {'FAILED ' + str(len(failures)) if failures else 'passed'}")
sys.exit(1 if failures else 0)

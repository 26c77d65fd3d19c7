"""Browser tests fail on a Content-Security-Policy violation: Chromium reports each one on the console
("Refused to execute inline script ... Content Security Policy ...")."""

MARKERS = ("Content Security Policy", "Content-Security-Policy")


def watch(page, sink: list) -> None:
    """Append every CSP violation the page reports to ``sink`` (as "url: message")."""

    def on_console(message):
        if any(marker in message.text for marker in MARKERS):
            sink.append(f"{page.url}: {message.text}")

    page.on("console", on_console)

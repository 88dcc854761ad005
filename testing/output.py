"""Figures the tests measure, printed past pytest's output capture."""


def say(pytestconfig, line):
    """Write a line to the terminal, past pytest's output capture (measured figures)."""
    reporter = pytestconfig.pluginmanager.get_plugin("terminalreporter")
    capture = pytestconfig.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():
            reporter.write_line(line)

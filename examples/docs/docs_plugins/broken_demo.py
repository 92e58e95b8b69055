"""The plugin ``broken_demo`` of docs/writing-a-plugin.md ("When a plugin fails"): its
``silk_register_frameworks`` raises, so it registers nothing and is reported by name."""

from silkcore import hookimpl


@hookimpl
def silk_register_frameworks(register):
    raise RuntimeError("framework file missing")

"""Checks a Score against music theory; rules can be switched per style."""

from ariaforge.music.validation.engine import STYLES, UnknownRuleError, rules_info, validate
from ariaforge.music.validation.model import Report, RuleInfo, Severity, Violation

__all__ = ["STYLES", "Report", "RuleInfo", "Severity", "UnknownRuleError", "Violation",
           "rules_info", "validate"]

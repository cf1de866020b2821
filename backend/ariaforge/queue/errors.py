"""How a job handler says what went wrong."""


class PermanentJobError(Exception):
    """Bad input or a state retrying cannot fix: the job fails at once with this message."""


class JobCancelled(Exception):
    """Raised inside a handler when someone cancelled its job."""

"""The job resource: reading a job's state and cancelling it over HTTP."""

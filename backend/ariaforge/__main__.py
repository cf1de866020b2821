from ariaforge.cli import app

app(prog_name="ariaforge")

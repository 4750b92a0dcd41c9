"""Writes to the register. Views, the API, commands and tasks all call these."""

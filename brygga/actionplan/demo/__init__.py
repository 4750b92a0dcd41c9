"""The action plan's demo data (``manage.py load_demo``); see :mod:`.loader`."""

from brygga.actionplan.demo.loader import ActionPlanDemoResult, load_actionplan_demo

__all__ = ["ActionPlanDemoResult", "load_actionplan_demo"]

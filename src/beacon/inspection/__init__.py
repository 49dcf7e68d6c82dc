"""The inspectorate's half: criteria as data, evidence, assessments, grades, reports."""

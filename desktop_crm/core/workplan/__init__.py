"""The work plan (工作计划): tasks and appointments (`tasks`), their reminders and the inbox
(`reminders`), calendar files (`ics`) and the background job runner (`jobs`)."""

"""Browser tests of the web questionnaire (silkcore.web) in Chromium."""

# Validate data/ (Frictionless schemas plus the project's own checks) before anything uses it.
.PHONY: validate
validate: $(VENV_STAMP)
	$(PY) -m sarcoma_review.validate

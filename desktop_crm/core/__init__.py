"""The Qt-free core: models, rules, services, search, importing, exporting, reporting."""

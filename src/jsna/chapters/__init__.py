"""One module per chapter template: the tables, figures and findings each page displays."""

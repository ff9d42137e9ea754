"""Stage 4, render: Markdown to HTML, and pages through the theme's Jinja2 templates."""

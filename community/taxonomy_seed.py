"""The seed vocabularies. Themes come from the Erasmus+ Key Action 2 outcome and
impact lists (seeds/003); sectors from the design's list of who uses Praxis."""

SECTORS = [
    ("school", "School education"),
    ("vet", "Vocational education and training (VET)"),
    ("higher-education", "Higher education"),
    ("adult-education", "Adult education"),
    ("youth", "Youth"),
    ("company-hr", "Companies and HR"),
    ("social-services", "Social services"),
]

THEMES = [
    ("innovative-teaching", "Innovative teaching and learning approaches"),
    ("ict-methods", "ICT-based and participatory methodologies"),
    ("recognition-validation", "Recognition and validation of competences"),
    ("local-communities", "Benefits for local communities"),
    ("inclusion", "Inclusion of disadvantaged groups"),
    ("diversity", "Social, ethnic, linguistic and cultural diversity"),
    ("employability", "Employability and competitiveness"),
    ("language-learning", "Language learning and teaching"),
    ("professional-development", "Professional development of staff"),
    ("internationalisation", "Internationalisation and EU project management"),
    ("entrepreneurship", "Initiative and entrepreneurship"),
    ("digital-competence", "Digital competence"),
    ("active-citizenship", "Active citizenship and democratic values"),
    ("transitions", "Transitions between education, training and work"),
    ("learning-outcomes", "Learning outcomes and qualifications"),
    ("open-educational-resources", "Open educational resources (OER)"),
    ("critical-thinking", "Critical thinking and media literacy"),
    ("educational-leadership", "Innovation and educational leadership"),
    ("practice-research-policy", "Practice, research and policy"),
]

# ISO 639-1 codes of the EU's official languages plus those common in partner countries.
LANGUAGES = [
    "bg", "ca", "cs", "da", "de", "el", "en", "es", "et", "eu", "fi", "fr", "ga", "gl", "hr", "hu", "is",
    "it", "lt", "lv", "mk", "mt", "nb", "nl", "pl", "pt", "ro", "ru", "sk", "sl", "sq", "sr", "sv", "tr", "uk",
]  # fmt: skip

"""The seed vocabularies. Themes come from the Erasmus+ Key Action 2 outcome and
impact lists (seeds/003); sectors from the design's list of who uses Praxis.

Names are marked for translation (gettext_noop): rows store the English name and
``Theme.label`` / ``Sector.label`` show it in the page's language."""

from django.utils.translation import gettext_noop

SECTORS = [
    ("school", gettext_noop("School education")),
    ("vet", gettext_noop("Vocational education and training (VET)")),
    ("higher-education", gettext_noop("Higher education")),
    ("adult-education", gettext_noop("Adult education")),
    ("youth", gettext_noop("Youth")),
    ("company-hr", gettext_noop("Companies and HR")),
    ("social-services", gettext_noop("Social services")),
]

THEMES = [
    ("innovative-teaching", gettext_noop("Innovative teaching and learning approaches")),
    ("ict-methods", gettext_noop("ICT-based and participatory methodologies")),
    ("recognition-validation", gettext_noop("Recognition and validation of competences")),
    ("local-communities", gettext_noop("Benefits for local communities")),
    ("inclusion", gettext_noop("Inclusion of disadvantaged groups")),
    ("diversity", gettext_noop("Social, ethnic, linguistic and cultural diversity")),
    ("employability", gettext_noop("Employability and competitiveness")),
    ("language-learning", gettext_noop("Language learning and teaching")),
    ("professional-development", gettext_noop("Professional development of staff")),
    ("internationalisation", gettext_noop("Internationalisation and EU project management")),
    ("entrepreneurship", gettext_noop("Initiative and entrepreneurship")),
    ("digital-competence", gettext_noop("Digital competence")),
    ("active-citizenship", gettext_noop("Active citizenship and democratic values")),
    ("transitions", gettext_noop("Transitions between education, training and work")),
    ("learning-outcomes", gettext_noop("Learning outcomes and qualifications")),
    ("open-educational-resources", gettext_noop("Open educational resources (OER)")),
    ("critical-thinking", gettext_noop("Critical thinking and media literacy")),
    ("educational-leadership", gettext_noop("Innovation and educational leadership")),
    ("practice-research-policy", gettext_noop("Practice, research and policy")),
]

# ISO 639-1 codes of the EU's official languages plus those common in partner countries.
LANGUAGES = [
    "bg", "ca", "cs", "da", "de", "el", "en", "es", "et", "eu", "fi", "fr", "ga", "gl", "hr", "hu", "is",
    "it", "lt", "lv", "mk", "mt", "nb", "nl", "pl", "pt", "ro", "ru", "sk", "sl", "sq", "sr", "sv", "tr", "uk",
]  # fmt: skip

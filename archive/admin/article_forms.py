"""The article's change form: the body and keywords (JSON lists in the
database) as the text an editor types, and the form of the set-topic action."""

from __future__ import annotations

import re

from django import forms

from archive import editing
from archive.admin.history import historic_record
from archive.models import Article, Topic

# The fields an editor sets, in the groups the change form shows them.
TITLE_FIELDS = ["kicker", "headline", "subtitle", "column"]
CLASSIFICATION_FIELDS = ["kind", "section", "primary_topic", "topics", "keywords", "event_date"]
BODY_FIELDS = ["paragraphs", "continued_from", "continued_to"]

# Keywords are typed as one line; any of these separates them.
KEYWORD_SEPARATORS = re.compile(r"[、,，;；\n\r\t]+")


class ParagraphsField(forms.CharField):
    """The body as text, one paragraph per line (blank lines are ignored)."""

    widget = forms.Textarea(attrs={"rows": 18, "class": "archive-body"})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n\n".join(value)
        return value

    def to_python(self, value):
        if isinstance(value, list):
            return value
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]

    def has_changed(self, initial, data):
        return self.to_python(data) != self.to_python(initial or [])


class KeywordsField(forms.CharField):
    """Keywords on one line, separated by 、 or commas."""

    def prepare_value(self, value):
        if isinstance(value, list):
            return "、".join(str(word) for word in value)
        return value

    def to_python(self, value):
        if isinstance(value, list):
            return [str(word) for word in value]
        text = super().to_python(value) or ""
        words = [word.strip() for word in KEYWORD_SEPARATORS.split(text)]
        return list(dict.fromkeys(word for word in words if word))

    def has_changed(self, initial, data):
        return self.to_python(data) != self.to_python(initial or [])


class ArticleForm(forms.ModelForm):
    paragraphs = ParagraphsField(label="正文段落", required=False, help_text="每行一段。")
    keywords = KeywordsField(
        label="关键词",
        required=False,
        help_text="用顿号或逗号分隔。",
        widget=forms.TextInput(attrs={"class": "vTextField archive-wide"}),
    )

    class Meta:
        model = Article
        fields = [*TITLE_FIELDS, *CLASSIFICATION_FIELDS, "reviewed", *BODY_FIELDS]
        wide = forms.TextInput(attrs={"class": "vTextField archive-wide"})
        widgets = {
            "topics": forms.CheckboxSelectMultiple,
            "kicker": wide,
            "headline": wide,
            "subtitle": wide,
            "column": wide,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        record = historic_record(self.instance)
        if record is not None and "topics" in self.fields and editing.carries_relations(record):
            # The revert page shows the topics of that version, not today's.
            self.initial["topics"] = [row.topic_id for row in record.topics.all()]


class SetTopicForm(forms.Form):
    topic = forms.ModelChoiceField(Topic.objects.all(), label="主要主题", empty_label=None)

"""Full-text search: jieba tokenisation for Whoosh through haystack's hooks."""

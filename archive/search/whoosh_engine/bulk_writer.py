"""The rebuild's segment writer: the same bytes on disk as Whoosh's own
``SegmentWriter``, written several times faster.

Whoosh's writer pickles every posting into a sort pool, spills the pool to
temporary files and merges them back, and then reads each posting's field
length back from the length column it has just written; for a rebuild that
was most of the time. Here postings are gathered in memory per term in
document order, so only the terms are sorted, and the field lengths are
kept as they are counted.

Invariants:

* The segment it writes is byte for byte the one Whoosh 2.7.4's writer
  writes for the same documents (a test compares every posting block, term
  info, stored field, length and column of the two).
* Documents are only added: the segment is new, so ``update_document``
  deletes nothing. A field with vectors or a separate spelling field is
  refused (use Whoosh's writer).
* Text fields analysed by the archive's analyzers skip Whoosh's token
  objects (:meth:`~archive.search.analysis.ChineseAnalyzer.positions`); the
  per-document part (stored fields, lengths, columns) is Whoosh's.
* ``postings`` counts what is held in memory, so a caller can finish the
  segment and start another one.
"""

from __future__ import annotations

import operator
import pickle
import zlib
from array import array
from itertools import chain

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3FieldWriter, W3PostingsWriter, W3TermInfo
from whoosh.formats import Positions
from whoosh.system import pack_ushort
from whoosh.util.numeric import length_to_byte
from whoosh.writing import SegmentWriter

# Distinct field values whose terms the writer keeps.
EXACT_TERMS_CACHE_SIZE = 50_000


def _analyses_positions(field) -> bool:
    """Whether the bulk writer can index ``field`` from its analyzer's word
    positions: a positions-format text field with one of the archive's
    analyzers (they have ``positions()``)."""
    return type(field.format) is Positions and hasattr(getattr(field, "analyzer", None), "positions")


def _first(item):
    return item[0]


def _posting_lists():
    """A term's postings as the bound ``append`` methods of its lists, so a
    posting costs three calls and no lookups; ``method.__self__`` is the list."""
    return array("I").append, array("d").append, [].append


class BulkSegmentWriter(SegmentWriter):
    """Writes one new segment of a fresh index (a rebuild); see the module's
    invariants.
    """

    def __init__(self, ix, **kwargs):
        super().__init__(ix, **kwargs)
        for name, field in self.schema.items():
            if field.vector or field.separate_spelling():
                raise ValueError(f"field {name!r} has vectors or spelling; use Whoosh's own writer")
        self._text_fields = {name for name, field in self.schema.items() if _analyses_positions(field)}
        # fieldname -> {term: appends to its docnums, weights and encoded
        # values (see _posting_lists)}; the term is text in text fields
        # (encoded once, when written), bytes in others.
        self._terms: dict[str, dict] = {}
        # fieldname -> every document's length in that field (scorable fields)
        self._lengths: dict[str, array] = {}
        # Encodings of a single position, the most common positions list;
        # postings share these bytes objects.
        self._single_position: dict[int, bytes] = {}
        self._exact_terms: dict = {}
        self.postings = 0

    def update_document(self, **fields):
        self.add_document(**fields)

    def _indexed_terms(self, fieldname, field, value):
        """(term bytes, frequency, weight, encoded value) of ``value``, as
        Whoosh's ``field.index`` gives them. Values of exact and date fields
        repeat (an issue's date, a topic), so their terms are kept."""
        key = (fieldname, value)
        try:
            items = self._exact_terms.get(key)
        except TypeError:  # a list value
            return tuple(field.index(value))
        if items is None:
            if len(self._exact_terms) > EXACT_TERMS_CACHE_SIZE:
                self._exact_terms.clear()
            items = self._exact_terms[key] = tuple(field.index(value))
        return items

    def add_document(self, **fields):
        self._check_state()
        perdocwriter = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        docboost = self._doc_boost(fields)
        fieldnames = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, fieldnames)
        perdocwriter.start_doc(docnum)
        for fieldname in fieldnames:
            value = fields.get(fieldname)
            if value is None:
                continue
            field = schema[fieldname]
            length = 0
            if field.indexed:
                fieldboost = self._field_boost(fields, fieldname, docboost)
                terms = self._terms.get(fieldname)
                if terms is None:
                    terms = self._terms[fieldname] = {}
                if fieldname in self._text_fields:
                    if isinstance(value, str):
                        length = self._add_positions(terms, docnum, field, value, fieldboost)
                    else:
                        items = [
                            (term.decode("utf-8"), frequency, weight, encoded)
                            for term, frequency, weight, encoded in field.index(value)
                        ]
                        length = self._add_terms(terms, docnum, items, fieldboost)
                else:
                    length = self._add_terms(terms, docnum, self._indexed_terms(fieldname, field, value), fieldboost)
                if field.scorable:
                    lengths = self._lengths.get(fieldname)
                    if lengths is None:
                        lengths = self._lengths[fieldname] = array("I")
                    if len(lengths) < docnum:
                        # Documents without this field have length 0.
                        lengths.extend([0] * (docnum - len(lengths)))
                    lengths.append(length)
                else:
                    length = 0
            customval = fields.get(f"_stored_{fieldname}", value)
            perdocwriter.add_field(fieldname, field, customval if field.stored else None, length)
            column = field.column_type
            if column and customval is not None:
                perdocwriter.add_column_value(fieldname, column, field.to_column_value(customval))
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    def _add_positions(self, terms, docnum, field, value, fieldboost) -> int:
        """Postings of a text field from its words' positions, as Whoosh's
        positions format makes them; returns the field length."""
        format_ = field.format
        # Whoosh sums a boost of 1.0 per token, then applies the field's.
        boost = format_.field_boost
        encode = format_.encode
        single = self._single_position
        get = terms.get
        length = 0
        positions_by_word = field.analyzer.positions(value)
        for word, positions in positions_by_word.items():
            count = len(positions)
            if count == 1:
                encoded = single.get(positions[0])
                if encoded is None:
                    encoded = single[positions[0]] = encode(positions)
            else:
                encoded = encode(positions)
            length += count
            appends = get(word)
            if appends is None:
                appends = terms[word] = _posting_lists()
            add_docnum, add_weight, add_value = appends
            add_docnum(docnum)
            add_weight(float(count) * boost * fieldboost)
            add_value(encoded)
        self.postings += len(positions_by_word)
        return length

    def _add_terms(self, terms, docnum, items, fieldboost) -> int:
        length = 0
        for term, frequency, weight, encoded in items:
            length += frequency
            appends = terms.get(term)
            if appends is None:
                appends = terms[term] = _posting_lists()
            add_docnum, add_weight, add_value = appends
            add_docnum(docnum)
            add_weight(weight * fieldboost)
            add_value(encoded)
        self.postings += len(items)
        return length

    def _flush_segment(self):
        self.perdocwriter.close()
        fieldwriter = self.fieldwriter
        for fieldname in sorted(self._terms):
            terms = self._terms[fieldname]
            if not terms:
                continue
            field = self.schema[fieldname]
            lengths = self._lengths.get(fieldname) if field.scorable else None
            if fieldname in self._text_fields:
                ordered = [(word.encode("utf-8"), appends) for word, appends in terms.items()]
            else:
                ordered = list(terms.items())
            ordered.sort(key=_first)
            fieldwriter.start_field(fieldname, field)
            exact = type(fieldwriter) is W3FieldWriter and type(fieldwriter._postwriter) is W3PostingsWriter
            for btext, appends in ordered:
                if exact:
                    self._write_term(fieldwriter, btext, appends, lengths)
                else:
                    fieldwriter.start_term(btext)
                    self._write_postings(fieldwriter, appends, lengths)
                    fieldwriter.finish_term()
            fieldwriter.finish_field()
            # Free the field's postings as soon as they are written.
            self._terms[fieldname] = {}
            del ordered
        fieldwriter.close()

    @staticmethod
    def _write_postings(fieldwriter, appends, lengths) -> None:
        """One term's postings through the field writer's add()."""
        docnums, weights, values = (append.__self__ for append in appends)
        for docnum, weight, encoded in zip(docnums, weights, values, strict=True):
            fieldwriter.add(docnum, weight, encoded, lengths[docnum] if lengths is not None else 0)

    @staticmethod
    def _write_term(fieldwriter, btext, appends, lengths) -> None:
        """One term's posting blocks and term info, byte for byte what
        W3FieldWriter's start_term/add/finish_term write, a block at a time
        instead of a posting at a time."""
        docnums, weights, values = (append.__self__ for append in appends)
        postwriter = fieldwriter._postwriter
        postfile = fieldwriter._postfile
        limit = postwriter._blocklimit
        compression = postwriter._compression
        fixed_size = fieldwriter._format.fixed_value_size()
        terminfo = W3TermInfo()
        start_offset = postfile.tell()
        count = len(docnums)
        postfile.write(WHOOSH3_HEADER_MAGIC)
        for first in range(0, count, limit):
            last = min(first + limit, count)
            block_ids = docnums[first:last]
            block_weights = weights[first:last]
            # The block statistics add_posting() gathers (the maximum weight
            # before rounding to the block's 32-bit floats).
            max_weight = max(0, max(block_weights))
            if lengths is not None:
                block_lengths = [lengths[docnum] for docnum in block_ids]
                nonzero = [length for length in block_lengths if length]
                min_length = min(nonzero) if nonzero else None
                max_length = max(block_lengths)
            else:
                min_length, max_length = None, 0
            postwriter._ids = block_ids
            postwriter._weights = stored_weights = array("f", block_weights)
            postwriter._maxweight = max_weight
            postwriter._minlength = min_length
            postwriter._maxlength = max_length
            terminfo.add_block(postwriter)
            # W3PostingsWriter._write_block's minified lists and pickles.
            ids = tuple(map(operator.sub, block_ids, chain((0,), block_ids[:-1])))
            if all(weight == 1.0 for weight in stored_weights):
                mini_weights = None
            elif all(weight == stored_weights[0] for weight in stored_weights):
                mini_weights = stored_weights[0]
            else:
                mini_weights = tuple(stored_weights)
            block_values = [encoded for encoded in values[first:last] if encoded]
            if fixed_size is None or fixed_size < 0:
                mini_values = tuple(block_values)
            elif fixed_size == 0:
                mini_values = None
            else:
                mini_values = b"".join(block_values)
            data = pickle.dumps((ids, mini_weights, mini_values), 2)
            if compression:
                data = zlib.compress(data, compression)
            info = pickle.dumps(
                (
                    len(block_ids),
                    block_ids[-1],
                    max_weight,
                    compression,
                    length_to_byte(min_length),
                    length_to_byte(max_length),
                ),
                2,
            )
            size = len(info) + len(data)
            # The last block's length is written negative.
            postfile.write_int(-size if last == count else size)
            postfile.write(info)
            postfile.write(data)
        terminfo.set_extent(start_offset, postfile.tell() - start_offset)
        fieldwriter._tindex.add(pack_ushort(fieldwriter._fieldid) + btext, terminfo.to_bytes())

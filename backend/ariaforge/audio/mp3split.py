"""Encoding one MP3 in several LAME processes at once, joined into one stream.

LAME is single-threaded, and on a long mix it is the slowest stage of a render (why this
is worth its size, measured against one process per file: ADR 17). The input is cut
into consecutive parts on MP3 frame boundaries (1152 samples); every part
but the first starts `PREROLL` frames early, and every part but the last runs on past
its end, so that around each join both neighbours encode the same frames from the same
input with an encoder that has settled. Each part is a complete FFmpeg/LAME file; the
join keeps the first part's frames up to a join frame K and the next part's frames from
K on, and fixes up what an MP3 stream carries from one frame to the next:

* the bit reservoir: a frame's main data may begin up to 511 bytes back, inside earlier
  frames. The bytes the next part's frame K points back to are copied into the unused
  tail of the frames before K (K is only chosen where that tail is long enough);
* the Xing/LAME header of the first part is rewritten for the joined stream exactly as
  FFmpeg's MP3 muxer writes it (frame and byte counts, seek table, encoder padding,
  music length and CRC, tag CRC).

A join frame K is only accepted where the two encoders agree: frames K-1 .. K+CHECK-1
carry the same audio data (header fields, side information and main-data bits, all but
the reservoir pointer and frame size) in both parts. The decoder therefore sees the
frames a single LAME process would have written (its state across the join is the one
the single stream gives), so the decoded audio is the same, sample for sample, as a
one-process encode; only the packing of the bytes differs. When no such K exists in the
search window, or anything in the parts is not as expected, `join` returns None and the
caller encodes in one piece. Everything here is a pure function of the part files, so
the output is as deterministic as the encoder.

Only MPEG-1 Layer III stereo streams without CRC (what FFmpeg's libmp3lame writes at
44.1 and 48 kHz) are joined.
"""

from __future__ import annotations

import itertools
import struct
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FRAME = 1152  # samples per MPEG-1 Layer III frame
# Frames each later part starts before its earliest join frame: twice the longest memory
# LAME is known to have (its ATH auto-adjust falls at most to 0.925x per granule: from
# top to bottom in 95 granules, 48 frames), so both encoders are in the same state.
PREROLL = 96
SEARCH = 48  # join frames tried, from the nominal one on
CHECK = 4  # frames from K on that must agree (plus K-1)
MARGIN = 8  # frames each earlier part runs on past the last frame it may need
MIN_PART_FRAMES = PREROLL + SEARCH + CHECK + MARGIN + 64

_BITRATES_KBPS = (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 0)
_RATES = (44100, 48000, 32000, 0)
_SIDE = 32  # side information bytes, MPEG-1 stereo
_XING = 4 + _SIDE  # offset of the "Xing"/"Info" tag in the header frame
_XING_SIZE = 156
_TOC_SIZE = 100
_BAGS = 400


@dataclass(frozen=True)
class Part:
    """Input frames [start, stop) of one part; its MP3 frame j is global frame
    `first + j` (start = first * FRAME)."""

    start: int
    stop: int
    first: int


def plan(frames: int, parts: int) -> list[Part] | None:
    """How to cut `frames` input samples into `parts` parts, or None when too short."""
    if parts < 2:
        return None
    total = (frames + FRAME - 1) // FRAME  # about the number of MP3 frames
    # Parts of about equal length: an earlier part runs on by `run_on` frames, a later
    # one starts PREROLL frames early.
    run_on = SEARCH + CHECK + MARGIN
    shift = (PREROLL - run_on) / 2
    nominal = [round(i * total / parts + shift) for i in range(1, parts)]
    bounds = [0, *nominal, total]
    if min(b - a for a, b in itertools.pairwise(bounds)) < MIN_PART_FRAMES:
        return None
    result = []
    for i in range(parts):
        first = 0 if i == 0 else nominal[i - 1] - PREROLL
        stop = frames if i == parts - 1 else min(frames, (nominal[i] + run_on) * FRAME)
        result.append(Part(first * FRAME, stop, first))
    return result


def nominal_joins(part_plan: list[Part]) -> list[int]:
    return [p.first + PREROLL for p in part_plan[1:]]


# --- parsing ---------------------------------------------------------------------------


@dataclass
class _Stream:
    data: bytes
    prefix_end: int  # where the Xing frame starts (after any ID3v2 tag)
    xing: bytes
    offsets: list[int]  # audio frames
    lengths: list[int]
    bitrates: list[int]
    rate_bits: int
    reservoir: bytes = b""
    payload_starts: list[int] | None = None


def _frame_length(b2: int) -> int:
    bitrate = _BITRATES_KBPS[b2 >> 4]
    rate = _RATES[(b2 >> 2) & 3]
    if not bitrate or not rate:
        return 0
    return 144_000 * bitrate // rate + ((b2 >> 1) & 1)


def _parse(data: bytes) -> _Stream | None:
    pos = 0
    if data[:3] == b"ID3" and len(data) >= 10:
        size = (data[6] << 21) | (data[7] << 14) | (data[8] << 7) | data[9]
        pos = 10 + size + (10 if data[5] & 0x10 else 0)
    start = pos
    offsets: list[int] = []
    lengths: list[int] = []
    bitrates: list[int] = []
    rate_bits = -1
    end = len(data)
    while pos + 4 <= end:
        b0, b1, b2, b3 = data[pos], data[pos + 1], data[pos + 2], data[pos + 3]
        # MPEG-1 Layer III without CRC, not mono, one sample rate throughout.
        if b0 != 0xFF or b1 != 0xFB or (b3 >> 6) == 3:
            return None
        if rate_bits < 0:
            rate_bits = b2 & 0x0C
        elif b2 & 0x0C != rate_bits:
            return None
        length = _frame_length(b2)
        if length < 4 + _SIDE or pos + length > end:
            return None
        offsets.append(pos)
        lengths.append(length)
        bitrates.append(b2 >> 4)
        pos += length
    if pos != end or len(offsets) < 2:
        return None
    xing_at, xing_len = offsets[0], lengths[0]
    xing = data[xing_at:xing_at + xing_len]
    if xing[_XING:_XING + 4] not in (b"Xing", b"Info") or len(xing) < _XING + _XING_SIZE:
        return None
    if struct.unpack_from(">I", xing, _XING + 4)[0] != 0x0F:
        return None
    if struct.unpack_from(">H", xing, _XING + _XING_SIZE - 2)[0] != crc16(xing[:190]):
        return None  # not the LAME tag layout we rewrite
    return _Stream(data, start, xing, offsets[1:], lengths[1:], bitrates[1:], rate_bits)


def _with_reservoir(stream: _Stream) -> _Stream:
    if stream.payload_starts is None:
        data = stream.data
        starts = []
        chunks = []
        total = 0
        for offset, length in zip(stream.offsets, stream.lengths, strict=True):
            starts.append(total)
            chunks.append(data[offset + 4 + _SIDE:offset + length])
            total += length - 4 - _SIDE
        stream.reservoir = b"".join(chunks)
        stream.payload_starts = starts
    return stream


def _side(stream: _Stream, index: int) -> tuple[int, int, int]:
    """(main_data_begin, main-data bits, side information without main_data_begin)."""
    offset = stream.offsets[index] + 4
    side = int.from_bytes(stream.data[offset:offset + _SIDE], "big")
    total = _SIDE * 8
    begin = side >> (total - 9)
    bits = 0
    position = 9 + 3 + 8  # main_data_begin, private bits, scfsi (2 channels)
    for _ in range(4):  # 2 granules x 2 channels
        bits += (side >> (total - position - 12)) & 0xFFF
        position += 59
    return begin, bits, side & ((1 << (total - 9)) - 1)


def _content(stream: _Stream, index: int) -> tuple[int, int, bytes] | None:
    """What a decoder takes from frame `index`, less the reservoir pointer and size."""
    begin, bits, side = _side(stream, index)
    assert stream.payload_starts is not None
    start = stream.payload_starts[index] - begin
    if start < 0:
        return None
    whole, rest = divmod(bits, 8)
    main = stream.reservoir[start:start + whole + (1 if rest else 0)]
    if rest:
        main = main[:-1] + bytes([main[-1] & (0xFF00 >> rest) & 0xFF])
    offset = stream.offsets[index]
    mode = stream.data[offset + 3]
    return mode, side, main


def _same(x: object, y: object) -> bool:
    return x is not None and x == y


def _free_tail(stream: _Stream, index: int) -> int:
    """Bytes after frame `index`'s main data, up to the end of its payload."""
    begin, bits, _ = _side(stream, index)
    payload = stream.lengths[index] - 4 - _SIDE
    return payload + begin - (bits + 7) // 8


# --- joining ---------------------------------------------------------------------------


def _choose(a: _Stream, a_first: int, b: _Stream, b_first: int, nominal: int) -> int | None:
    """The first join frame K (global) from `nominal` on where a and b agree."""
    _with_reservoir(a)
    _with_reservoir(b)
    for k in range(nominal, nominal + SEARCH):
        ia, ib = k - a_first, k - b_first
        if ib < 1 or ia + CHECK + MARGIN > len(a.offsets) or ib + CHECK > len(b.offsets):
            return None
        if _free_tail(a, ia - 1) < _side(b, ib)[0]:
            continue
        if all(_same(_content(a, ia + d), _content(b, ib + d)) for d in range(-1, CHECK)):
            return k
    return None


def join(files: list[bytes], part_plan: list[Part]) -> bytes | None:
    """The parts' MP3 files joined into one (see the module notes), or None."""
    streams = [_parse(data) for data in files]
    if any(s is None for s in streams) or len(streams) != len(part_plan):
        return None
    parsed: list[_Stream] = [s for s in streams if s is not None]
    if len({s.rate_bits for s in parsed}) != 1:
        return None
    joins = []
    for i, nominal in enumerate(nominal_joins(part_plan)):
        k = _choose(parsed[i], part_plan[i].first, parsed[i + 1], part_plan[i + 1].first,
                    nominal)
        if k is None:
            return None
        joins.append(k)
    out = bytearray()
    bitrates: list[int] = []
    sizes: list[int] = []
    starts = [0, *joins]
    for i, stream in enumerate(parsed):
        first = part_plan[i].first
        begin = starts[i] - first
        stop = len(stream.offsets) if i == len(joins) else joins[i] - first
        if i > 0:  # the bytes this part's frame `begin` points back to
            back = _side(stream, begin)[0]
            assert stream.payload_starts is not None
            at = stream.payload_starts[begin]
            if at < back:
                return None
            _patch_tail(out, sizes, stream.reservoir[at - back:at])
        data = stream.data
        out += data[stream.offsets[begin]:stream.offsets[stop - 1] + stream.lengths[stop - 1]]
        bitrates += stream.bitrates[begin:stop]
        sizes += stream.lengths[begin:stop]
    first_xing, last_xing = parsed[0].xing, parsed[-1].xing
    delay = int.from_bytes(first_xing[_XING + 141:_XING + 144], "big") >> 12
    padding = int.from_bytes(last_xing[_XING + 141:_XING + 144], "big") & 0xFFF
    last = parsed[-1]
    if len(sizes) != len(last.offsets) + part_plan[-1].first or any(
            int.from_bytes(s.xing[_XING + 141:_XING + 144], "big") >> 12 != delay
            for s in parsed):
        return None  # the parts do not line up as planned
    header = xing_frame(first_xing, bytes(out), sizes, bitrates, delay, padding)
    return parsed[0].data[:parsed[0].prefix_end] + header + bytes(out)


def _patch_tail(out: bytearray, sizes: list[int], reservoir: bytes) -> None:
    """Write `reservoir` into the last payload bytes of the frames in `out`."""
    need = len(reservoir)
    end = len(out)
    index = len(sizes) - 1
    while need and index >= 0:
        frame_start = end - sizes[index]
        payload = sizes[index] - 4 - _SIDE
        take = min(need, payload)
        out[end - take:end] = reservoir[need - take:need]
        need -= take
        end = frame_start
        index -= 1


def xing_frame(template: bytes, audio: bytes, sizes: list[int], bitrates: list[int],
               delay: int, padding: int) -> bytes:
    """`template` (FFmpeg's Xing/LAME header frame) filled in for `audio` as FFmpeg's
    MP3 muxer fills it in: frame count, size, seek table, encoder delay and padding,
    music length, music CRC and tag CRC."""
    frame = bytearray(template)
    variable = any(rate != bitrates[0] for rate in bitrates)
    frame[_XING:_XING + 4] = b"Xing" if variable else b"Info"
    size = len(frame)
    want, seen, position = 1, 0, 0
    bags = [0] * _BAGS
    for length in sizes:
        seen += 1
        size += length
        if want == seen:
            bags[position] = size
            position += 1
            if position == _BAGS:
                for i in range(1, _BAGS, 2):
                    bags[i >> 1] = bags[i]
                want *= 2
                position = _BAGS // 2
            seen = 0
    struct.pack_into(">II", frame, _XING + 8, len(sizes), size)
    toc = _XING + 16
    frame[toc] = 0
    for i in range(1, _TOC_SIZE):
        frame[toc + i] = min(256 * bags[i * position // _TOC_SIZE] // size, 255)
    frame[_XING + 141:_XING + 144] = ((min(delay, 4095) << 12)
                                      | min(padding, 4095)).to_bytes(3, "big")
    struct.pack_into(">I", frame, _XING + _XING_SIZE - 8, len(frame) + len(audio))
    struct.pack_into(">H", frame, _XING + _XING_SIZE - 4, crc16(audio))
    struct.pack_into(">H", frame, _XING + _XING_SIZE - 2, crc16(bytes(frame[:190])))
    return bytes(frame)


# --- CRC-16 (FFmpeg's AV_CRC_16_ANSI_LE: reflected 0x8005, initial 0) -----------------


def _table() -> npt.NDArray[np.uint16]:
    table = np.zeros(256, np.uint16)
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
        table[byte] = crc
    return table


def _word_table(table: npt.NDArray[np.uint16]) -> npt.NDArray[np.uint16]:
    """Two bytes at once: the 16-bit register is replaced, so crc = T[crc ^ word]."""
    word = np.arange(1 << 16, dtype=np.uint32)
    once = table[word & 0xFF].astype(np.uint32) ^ (word >> 8)
    twice: npt.NDArray[np.uint16] = (table[once & 0xFF].astype(np.uint32) ^ (once >> 8)).astype(
        np.uint16)
    return twice


_CRC_TABLE = _table()
_CRC_WORDS = _word_table(_CRC_TABLE)
_LANES = 4096


def _crc_bytes(data: bytes, crc: int = 0) -> int:
    table = _CRC_TABLE
    for byte in data:
        crc = int(table[(crc ^ byte) & 0xFF]) ^ (crc >> 8)
    return crc


def _zeros_map(words: int) -> tuple[list[int], list[int]]:
    """The CRC after `words` zero words (2 bytes each), as tables over the low and high
    byte of the CRC before them (the map is linear over GF(2))."""
    images = np.asarray([1 << bit for bit in range(16)], np.uint16)
    for _ in range(words):
        images = _CRC_WORDS[images]
    values = images.tolist()
    low, high = [0] * 256, [0] * 256
    for byte in range(256):
        lo = hi = 0
        for bit in range(8):
            if byte >> bit & 1:
                lo ^= values[bit]
                hi ^= values[bit + 8]
        low[byte], high[byte] = lo, hi
    return low, high


def crc16(data: bytes) -> int:
    """CRC-16/ARC of `data`, computed in parallel lanes with NumPy: the data (with zeros
    in front, which leave a zero CRC unchanged) is cut into equal lanes, each lane's CRC
    is computed a word at a time, and the lanes' CRCs are combined (CRC(a + b) is CRC(a)
    run through len(b) zero bytes, XOR CRC(b))."""
    if len(data) < 64 * _LANES:
        return _crc_bytes(data)
    words = -(-len(data) // (2 * _LANES))
    padded = np.zeros(words * 2 * _LANES, np.uint8)
    padded[len(padded) - len(data):] = np.frombuffer(data, np.uint8)
    # Little-endian words: the first byte of each pair is the low byte.
    columns = np.ascontiguousarray(padded.view("<u2").reshape(_LANES, words).T)
    lanes = np.zeros(_LANES, np.uint16)
    table = _CRC_WORDS
    for row in columns:
        lanes = table[lanes ^ row]
    low, high = _zeros_map(words)
    crc = 0
    for value in lanes.tolist():
        crc = low[crc & 0xFF] ^ high[crc >> 8] ^ value
    return crc

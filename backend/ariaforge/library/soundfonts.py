"""A defensive reader of SoundFont 2 files: the structure is checked, nothing trusted.

An SF2 is `RIFF(sfbk, LIST(INFO), LIST(sdta), LIST(pdta))`. Every declared size is
checked against the bytes that actually remain before anything is read; lists hold only
chunks (a list inside a list is refused: SF2 needs no deeper nesting); the `pdta` record
tables must have their fixed record sizes and terminal records; preset zones must point
inside the bag and generator tables, and every sample header must point inside the
sample data that is really there. So a file that declares gigabytes, or sample data
that is not in it, is refused before any allocation beyond the file itself.

Pure Python on the bytes of the upload (at most LIBRARY_MAX_FILE_BYTES); no synth is
loaded here. What the renderer's synth might still reject is reported by the render.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from ariaforge.library.decode import Refused

MAX_PRESETS = 1024
MAX_CHUNKS_PER_LIST = 32
# Record sizes of the pdta sub-chunks (SoundFont 2.04, section 7).
_RECORDS = {b"phdr": 38, b"pbag": 4, b"pmod": 10, b"pgen": 4, b"inst": 22, b"ibag": 4,
            b"imod": 10, b"igen": 4, b"shdr": 46}


@dataclass(frozen=True)
class SoundFontPreset:
    bank: int
    preset: int
    name: str

    def as_json(self) -> dict[str, int | str]:
        return {"bank": self.bank, "preset": self.preset, "name": self.name}


@dataclass(frozen=True)
class SoundFontInfo:
    name: str
    version: tuple[int, int]
    samples: int
    presets: list[SoundFontPreset]


def _bad(message: str) -> Refused:
    return Refused("invalid_soundfont", f"the SoundFont is not valid: {message}")


def _chunks(data: bytes, start: int, end: int, where: str,
            repeat: bytes = b"") -> list[tuple[bytes, int, int]]:
    """The chunks between start and end as (id, data start, size), sizes checked; only
    `repeat` may occur more than once."""
    found: list[tuple[bytes, int, int]] = []
    ids: set[bytes] = set()
    offset = start
    while offset < end:
        if end - offset < 8:
            raise _bad(f"{end - offset} stray bytes at the end of {where}")
        chunk_id = data[offset:offset + 4]
        (size,) = struct.unpack_from("<I", data, offset + 4)
        if size > end - offset - 8:
            raise _bad(f"chunk {chunk_id!r} in {where} declares {size} bytes but only "
                       f"{end - offset - 8} remain")
        if chunk_id in ids and chunk_id != repeat:
            raise _bad(f"chunk {chunk_id!r} appears twice in {where}")
        if len(found) >= MAX_CHUNKS_PER_LIST:
            raise _bad(f"{where} has more than {MAX_CHUNKS_PER_LIST} chunks")
        ids.add(chunk_id)
        found.append((chunk_id, offset + 8, size))
        offset += 8 + size + (size & 1)
    return found


def _text(raw: bytes) -> str:
    text = raw.split(b"\0", 1)[0].decode("latin-1")
    return "".join(ch if ch.isprintable() else " " for ch in text).strip()


def parse_sf2(data: bytes, max_presets: int = MAX_PRESETS) -> SoundFontInfo:
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"sfbk":
        raise _bad("it does not start with a RIFF 'sfbk' header")
    (riff_size,) = struct.unpack_from("<I", data, 4)
    if riff_size > len(data) - 8:
        raise _bad(f"the RIFF header declares {riff_size} bytes but the file has "
                   f"{len(data) - 8}")
    lists: dict[bytes, tuple[int, int]] = {}
    for chunk_id, start, size in _chunks(data, 12, 8 + riff_size, "the file", b"LIST"):
        if chunk_id != b"LIST" or size < 4:
            raise _bad(f"unexpected top-level chunk {chunk_id!r}")
        kind = data[start:start + 4]
        if kind in lists:
            raise _bad(f"the {kind!r} list appears twice")
        lists[kind] = (start + 4, size - 4)
    missing = [name.decode() for name in (b"INFO", b"sdta", b"pdta") if name not in lists]
    if missing or len(lists) != 3:
        raise _bad(f"it must hold exactly the INFO, sdta and pdta lists (missing: "
                   f"{', '.join(missing) or 'none'})")
    parts = {name: {chunk_id: (begin, length) for chunk_id, begin, length
                    in _chunks(data, start, start + size, name.decode())}
             for name, (start, size) in lists.items()}
    for list_id, chunks in parts.items():
        if b"LIST" in chunks or b"RIFF" in chunks:
            raise _bad(f"a list nested inside {list_id.decode()}")
    info, sdta, pdta = parts[b"INFO"], parts[b"sdta"], parts[b"pdta"]
    if b"ifil" not in info or info[b"ifil"][1] != 4:
        raise _bad("the INFO list has no valid version (ifil)")
    major, minor = struct.unpack_from("<HH", data, info[b"ifil"][0])
    if major != 2:
        raise _bad(f"version {major}.{minor} is not SoundFont 2 (compressed SF3 and "
                   "others are not accepted)")
    name = _text(data[info[b"INAM"][0]:sum(info[b"INAM"])]) if b"INAM" in info else ""
    if set(sdta) - {b"smpl", b"sm24"}:
        raise _bad("the sdta list holds chunks other than smpl and sm24")
    samples = 0
    if b"smpl" in sdta:
        size = sdta[b"smpl"][1]
        if size % 2:
            raise _bad("the 16-bit sample data has an odd size")
        samples = size // 2
        if b"sm24" in sdta and sdta[b"sm24"][1] not in (samples, samples + (samples & 1)):
            raise _bad("the 24-bit sample data does not match the 16-bit data")
    tables = _tables(data, pdta)
    presets = _presets(data, tables, max_presets)
    _check_samples(data, tables, samples)
    return SoundFontInfo(name[:100], (major, minor), samples, presets)


def _tables(data: bytes, pdta: dict[bytes, tuple[int, int]]) -> dict[bytes, tuple[int, int]]:
    """{id: (start, records)} for the nine pdta tables (each with its terminal record)."""
    tables: dict[bytes, tuple[int, int]] = {}
    for chunk_id, record in _RECORDS.items():
        if chunk_id not in pdta:
            raise _bad(f"the pdta list lacks its {chunk_id.decode()} table")
        start, size = pdta[chunk_id]
        needed = 2 if chunk_id in (b"phdr", b"inst", b"shdr") else 1  # + terminal record
        if size % record or size < needed * record:
            raise _bad(f"the {chunk_id.decode()} table has a size ({size}) that is not a "
                       f"whole number of {record}-byte records")
        tables[chunk_id] = (start, size // record)
    return tables


def _presets(data: bytes, tables: dict[bytes, tuple[int, int]],
             max_presets: int) -> list[SoundFontPreset]:
    start, records = tables[b"phdr"]
    count = records - 1  # the last record is the terminal "EOP"
    if count > max_presets:
        raise _bad(f"it lists {count} presets; at most {max_presets} are accepted")
    bags = tables[b"pbag"][1]
    generators = tables[b"pgen"][1]
    presets: list[SoundFontPreset] = []
    seen: set[tuple[int, int]] = set()
    previous_bag = 0
    for index in range(records):
        offset = start + 38 * index
        raw_name = data[offset:offset + 20]
        preset, bank, bag = struct.unpack_from("<HHH", data, offset + 20)
        if bag < previous_bag or bag >= bags:
            raise _bad(f"preset {index} points outside the preset zones")
        previous_bag = bag
        if index == count:
            break
        if preset > 127 or bank > 16383:
            raise _bad(f"preset {index} has an invalid number ({bank}:{preset})")
        if (bank, preset) in seen:
            continue  # a duplicate: the synth uses the first; so does our list
        seen.add((bank, preset))
        presets.append(SoundFontPreset(bank, preset, _text(raw_name) or f"Preset {preset}"))
    bag_start = tables[b"pbag"][0]
    previous = 0
    for index in range(bags):
        generator, _modulator = struct.unpack_from("<HH", data, bag_start + 4 * index)
        if generator < previous or generator >= generators:
            raise _bad("a preset zone points outside the generator table")
        previous = generator
    if not presets:
        raise _bad("it holds no presets")
    return sorted(presets, key=lambda item: (item.bank, item.preset))


def _check_samples(data: bytes, tables: dict[bytes, tuple[int, int]], samples: int) -> None:
    start, records = tables[b"shdr"]
    for index in range(records - 1):
        offset = start + 46 * index + 20
        begin, end, loop_start, loop_end, rate = struct.unpack_from("<IIIII", data, offset)
        sample_type = struct.unpack_from("<H", data, offset + 24)[0]
        if sample_type & 0x8000:
            raise _bad("it refers to samples in ROM, which a file cannot provide")
        if not begin <= end <= samples:
            raise _bad(f"sample {index} spans {begin}-{end} but the file holds only "
                       f"{samples} sample points")
        if end > begin and not (begin <= loop_start <= loop_end <= end) \
                and not (loop_start == loop_end == 0):
            raise _bad(f"sample {index} loops outside its data")
        if rate == 0 or rate > 192000:
            raise _bad(f"sample {index} has an invalid rate ({rate} Hz)")

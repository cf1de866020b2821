"""The presets every account sees: General MIDI instruments with effects and mix defaults
that suit their role (a touch of room on keys and strings, more on pads, a compressor on
bass and drums, an EQ that keeps low end out of what should not carry it).

Seeded by code, not by the migration: `service.ensure_shipped` inserts any that are
missing under fixed ids (uuid5 of their slug), so running it again, or concurrently,
changes nothing, and an edit here reaches existing databases on the next listing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

_NAMESPACE = uuid.UUID("7f1b3c52-8a55-4c1e-9a65-3d2f0c6b5e17")


def _eq(low_hz: float = 100.0, low_db: float = 0.0, high_hz: float = 8000.0,
        high_db: float = 0.0) -> dict[str, Any]:
    return {"type": "eq", "low_shelf_hz": low_hz, "low_shelf_gain_db": low_db,
            "high_shelf_hz": high_hz, "high_shelf_gain_db": high_db}


def _reverb(wet: float, room: float = 0.5) -> dict[str, Any]:
    return {"type": "reverb", "room_size": room, "wet_level": wet}


def _compressor(threshold_db: float, ratio: float, makeup_db: float = 0.0) -> dict[str, Any]:
    return {"type": "compressor", "threshold_db": threshold_db, "ratio": ratio,
            "makeup_gain_db": makeup_db}


@dataclass(frozen=True)
class ShippedPreset:
    slug: str
    name: str
    category: str
    program: int
    fx: list[dict[str, Any]] = field(default_factory=list)
    volume: int = 100
    pan: int = 0
    is_drum: bool = False
    gain_db: float = 0.0

    @property
    def id(self) -> uuid.UUID:
        return uuid.uuid5(_NAMESPACE, self.slug)


SHIPPED: tuple[ShippedPreset, ...] = (
    ShippedPreset("grand-piano", "Grand Piano", "piano", 0, [_reverb(0.18)]),
    ShippedPreset("bright-piano", "Bright Piano", "piano", 1,
                  [_eq(high_db=2.0), _reverb(0.15)]),
    ShippedPreset("electric-piano", "Electric Piano", "keys", 4,
                  [_eq(low_hz=120.0, low_db=-2.0), _reverb(0.2)]),
    ShippedPreset("drawbar-organ", "Drawbar Organ", "organ", 16, [_reverb(0.15)], volume=90),
    ShippedPreset("nylon-guitar", "Nylon Guitar", "guitar", 24,
                  [_eq(low_hz=150.0, low_db=-3.0), _reverb(0.2)], pan=-12),
    ShippedPreset("steel-guitar", "Steel Guitar", "guitar", 25,
                  [_eq(low_hz=150.0, low_db=-3.0, high_db=1.5), _reverb(0.18)], pan=12),
    ShippedPreset("electric-guitar", "Clean Electric Guitar", "guitar", 27,
                  [_compressor(-20.0, 3.0, 2.0), _reverb(0.2)], pan=-18),
    ShippedPreset("finger-bass", "Finger Bass", "bass", 33,
                  [_eq(high_hz=5000.0, high_db=-3.0), _compressor(-18.0, 4.0, 3.0)],
                  volume=105),
    ShippedPreset("synth-bass", "Synth Bass", "bass", 38, [_compressor(-16.0, 4.0, 2.0)],
                  volume=100),
    ShippedPreset("strings", "String Ensemble", "strings", 48,
                  [_eq(low_hz=150.0, low_db=-2.0), _reverb(0.3, room=0.7)], volume=90),
    ShippedPreset("choir", "Choir Aahs", "vocals", 52, [_reverb(0.35, room=0.8)], volume=85),
    ShippedPreset("trumpet", "Trumpet", "brass", 56, [_reverb(0.2)], pan=10),
    ShippedPreset("flute", "Flute", "woodwinds", 73, [_reverb(0.25)], pan=-10),
    ShippedPreset("saw-lead", "Saw Lead", "lead", 81,
                  [_eq(low_hz=200.0, low_db=-4.0), _reverb(0.15)], volume=90),
    ShippedPreset("warm-pad", "Warm Pad", "pad", 89,
                  [_eq(low_hz=200.0, low_db=-4.0, high_db=-2.0), _reverb(0.45, room=0.85)],
                  volume=80),
    ShippedPreset("standard-kit", "Standard Drum Kit", "drums", 0,
                  [_compressor(-14.0, 3.0, 2.0), _reverb(0.08, room=0.3)], volume=105,
                  is_drum=True),
)

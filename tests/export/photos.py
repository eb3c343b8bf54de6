"""Simulated phone photos of printed pages (tests and benchmarks/qr_decode_rates.py).

A page render is taken 1600 px wide, as a phone camera's picture of an A4 sheet, then: keystone
(the phone held a little below the page: the top edge shorter), rotated 6–8°, blurred
(out-of-focus), grainy (sensor noise) and saved as JPEG at quality 60.
"""

from __future__ import annotations

import io
import random

from PIL import Image, ImageChops, ImageFilter

WIDTH = 1600


def phone_photo(page: Image.Image, seed: int) -> bytes:
    rng = random.Random(seed)
    image = page.convert("L")
    image = image.resize((WIDTH, round(WIDTH * image.height / image.width)),
                         Image.Resampling.LANCZOS)
    w, h = image.size
    inset = rng.uniform(0.03, 0.06) * w  # the far (top) edge looks shorter
    # QUAD: the source corners upper-left, lower-left, lower-right, upper-right fill the frame
    quad = (-inset, 0, 0, h, w, h, w + inset, 0)
    image = image.transform((w, h), Image.Transform.QUAD, quad, Image.Resampling.BICUBIC,
                            fillcolor=255)
    image = image.rotate(rng.choice((-1, 1)) * rng.uniform(6, 8), expand=True, fillcolor=180,
                         resample=Image.Resampling.BICUBIC)
    image = image.filter(ImageFilter.GaussianBlur(rng.uniform(0.8, 1.3)))
    noise = Image.effect_noise(image.size, 12)
    image = ImageChops.add(image, noise, scale=1.0, offset=-128)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=60)
    return out.getvalue()

"""A voice's audition: one short sentence in its language, as a small MP3 a browser plays.

The engine serves it as the voice's `audition_url`. The bytes depend only on the voice (and the
PyAV build): speech is deterministic, and the MP3 is written bit-exact (no encoder version tag).
"""

from __future__ import annotations

import io
from functools import cache
from typing import cast

import av
import numpy as np
from av.audio.stream import AudioStream

from jogg_pipeline.engine.narration.speech import speak
from jogg_pipeline.engine.narration.voices import LocalVoice

MEDIA_TYPE = "audio/mpeg"
SUFFIX = ".mp3"
SAMPLE_RATE = 24_000  # MPEG-2 layer III; the voice is low-passed at 8 kHz anyway
BIT_RATE = 48_000  # plenty for one voice in mono
_FRAME = 1152  # samples in an MP3 frame

# One sentence a language: a greeting, then the voice introducing itself without saying who
# speaks (so no grammatical gender of the speaker), in the language's everyday script.
# Japanese is written in kana: espeak-ng reads kanji as "Chinese letter".
SENTENCES: dict[str, str] = {
    "english": "Hello! This is the voice that will present your product.",
    "french": "Bonjour ! Voici la voix qui présentera votre produit.",
    "german": "Hallo! Das ist die Stimme, die Ihr Produkt vorstellen wird.",
    "hindi": "नमस्ते! यह वह आवाज़ है जो आपके उत्पाद को प्रस्तुत करेगी।",
    "indonesian": "Halo! Inilah suara yang akan memperkenalkan produk Anda.",
    "italian": "Ciao! Questa è la voce che presenterà il tuo prodotto.",
    "japanese": "こんにちは。このこえが、あなたのしょうひんをしょうかいします。",
    "korean": "안녕하세요! 이 목소리가 여러분의 제품을 소개합니다.",
    "malay": "Helo! Inilah suara yang akan memperkenalkan produk anda.",
    "portuguese": "Olá! Esta é a voz que vai apresentar o seu produto.",
    "russian": "Здравствуйте! Этот голос представит ваш продукт.",
    "spanish": "¡Hola! Esta es la voz que presentará su producto.",
    "thai": "สวัสดี! นี่คือเสียงที่จะนำเสนอสินค้าของคุณ",
    "vietnamese": "Xin chào! Đây là giọng nói sẽ giới thiệu sản phẩm của bạn.",
    "arabic": "مرحبا! هذا هو الصوت الذي سيقدم منتجك.",
    "greek": "Γεια σας! Αυτή είναι η φωνή που θα παρουσιάσει το προϊόν σας.",
    "turkish": "Merhaba! Ürününüzü bu ses tanıtacak.",
    "slovenian": "Pozdravljeni! To je glas, ki bo predstavil vaš izdelek.",
    "croatian": "Pozdrav! Ovo je glas koji će predstaviti vaš proizvod.",
    "romanian": "Bună ziua! Aceasta este vocea care vă va prezenta produsul.",
    "chinese": "你好！这个声音将为您介绍您的产品。",
    "bengali": "নমস্কার! এই কণ্ঠই আপনার পণ্যটি উপস্থাপন করবে।",
    "urdu": "السلام علیکم! یہ وہ آواز ہے جو آپ کی مصنوعات پیش کرے گی۔",
    "hungarian": "Jó napot! Ez a hang fogja bemutatni a termékét.",
    "traditional-chinese": "你好！這個聲音將為您介紹您的產品。",
    "polish": "Dzień dobry! Ten głos przedstawi Twój produkt.",
    "cantonese": "你好！呢把聲會為你介紹你嘅產品。",
    "danish": "Hej! Det er denne stemme, der vil præsentere dit produkt.",
    "malayalam": "നമസ്കാരം! ഈ ശബ്ദമാണ് നിങ്ങളുടെ ഉൽപ്പന്നം അവതരിപ്പിക്കുക.",
    "tamil": "வணக்கம்! இந்தக் குரல் உங்கள் தயாரிப்பை அறிமுகப்படுத்தும்.",
    "telugu": "నమస్కారం! ఈ స్వరం మీ ఉత్పత్తిని పరిచయం చేస్తుంది.",
    "czech": "Dobrý den! Tento hlas představí váš produkt.",
    "hebrew": "שלום! זה הקול שיציג את המוצר שלכם.",
    "swedish": "Hej! Det här är rösten som kommer att presentera din produkt.",
    "lithuanian": "Sveiki! Šis balsas pristatys jūsų produktą.",
    "dutch": "Hallo! Dit is de stem die uw product zal presenteren.",
    "flemish": "Hallo! Dit is de stem die uw product zal voorstellen.",
    "norwegian": "Hei! Dette er stemmen som skal presentere produktet ditt.",
    "finnish": "Hei! Tämä ääni esittelee tuotteesi.",
    "bulgarian": "Здравейте! Този глас ще представи вашия продукт.",
    "latvian": "Sveiki! Šī balss prezentēs jūsu produktu.",
    "ukrainian": "Вітаю! Цей голос представить ваш продукт.",
    "persian": "سلام! این صدایی است که محصول شما را معرفی می‌کند.",
    "odia": "ନମସ୍କାର! ଏହି ସ୍ୱର ଆପଣଙ୍କ ଉତ୍ପାଦକୁ ଉପସ୍ଥାପନ କରିବ।",
    "assamese": "নমস্কাৰ! এই মাতটোৱে আপোনাৰ সামগ্ৰী উপস্থাপন কৰিব।",
    "kannada": "ನಮಸ್ಕಾರ! ಈ ಧ್ವನಿ ನಿಮ್ಮ ಉತ್ಪನ್ನವನ್ನು ಪರಿಚಯಿಸುತ್ತದೆ.",
    "amharic": "ሰላም! ይህ ድምፅ ምርትዎን ያስተዋውቃል።",
    "serbian": "Здраво! Овај глас ће представити ваш производ.",
    "slovak": "Dobrý deň! Tento hlas predstaví váš produkt.",
    "swahili": "Habari! Hii ndiyo sauti itakayotambulisha bidhaa yako.",
}


@cache
def audition(voice: LocalVoice) -> bytes:
    """The voice's sample sentence as MP3 bytes (mono, 24 kHz, 48 kbit/s)."""
    speech = speak(SENTENCES[voice.language], voice, sample_rate=SAMPLE_RATE)
    return encode_mp3(speech.samples, SAMPLE_RATE)


def encode_mp3(samples: np.ndarray, sample_rate: int) -> bytes:
    """Mono float samples in [-1, 1] as MP3 bytes, written bit-exact."""
    pcm = np.round(np.clip(samples, -1, 1) * 32767).astype(np.int16)
    buffer = io.BytesIO()
    with av.open(buffer, "w", format="mp3", options={"fflags": "+bitexact"}) as container:
        # PyAV's stubs know the stream type of some codec names only; this one is audio.
        stream = cast(AudioStream, container.add_stream("libmp3lame", rate=sample_rate))
        stream.layout = "mono"
        stream.bit_rate = BIT_RATE
        stream.codec_context.flags |= av.codec.context.Flags.bitexact
        for start in range(0, len(pcm), _FRAME):
            frame = av.AudioFrame.from_ndarray(
                pcm[None, start : start + _FRAME], format="s16", layout="mono"
            )
            frame.sample_rate = sample_rate
            frame.pts = start
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))
    return buffer.getvalue()

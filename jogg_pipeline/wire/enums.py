"""Enumerations of the JoggAI v1 API (`create_video_from_url`), in their wire form.

Each table maps the wire value to the readable name the API documents; the spec format
accepts either, case-insensitively, and always sends the wire value.
"""

from __future__ import annotations

from enum import IntEnum

ASPECT_RATIOS: dict[int, str] = {0: "portrait", 1: "landscape", 2: "square"}
ASPECT_RATIO_SHAPES: dict[int, str] = {0: "9:16", 1: "16:9", 2: "1:1"}

VIDEO_LENGTHS: tuple[str, ...] = ("15", "30", "60")

AVATAR_TYPES: dict[int, str] = {0: "public", 1: "custom"}

TEMPLATE_TYPES: tuple[str, ...] = ("public", "custom")

LANGUAGES: dict[str, str] = {
    "english": "English",
    "filipino": "Filipino",
    "french": "French",
    "german": "German",
    "hindi": "Hindi",
    "indonesian": "Indonesian",
    "italian": "Italian",
    "japanese": "Japanese",
    "korean": "Korean",
    "malay": "Malay",
    "portuguese": "Portuguese",
    "russian": "Russian",
    "spanish": "Spanish",
    "thai": "Thai",
    "vietnamese": "Vietnamese",
    "arabic": "Arabic",
    "greek": "Greek",
    "turkish": "Turkish",
    "slovenian": "Slovenian",
    "croatian": "Croatian",
    "romanian": "Romanian",
    "chinese": "Simplified Chinese",
    "bengali": "Bengali",
    "urdu": "Urdu",
    "hungarian": "Hungarian",
    "traditional-chinese": "Traditional Chinese",
    "polish": "Polish",
    "cantonese": "Cantonese",
    "danish": "Danish",
    "malayalam": "Malayalam",
    "tamil": "Tamil",
    "telugu": "Telugu",
    "czech": "Czech",
    "hebrew": "Hebrew",
    "zulu": "Zulu",
    "swedish": "Swedish",
    "lithuanian": "Lithuanian",
    "dutch": "Dutch",
    "flemish": "Flemish",
    "norwegian": "Norwegian",
    "finnish": "Finnish",
    "bulgarian": "Bulgarian",
    "latvian": "Latvian",
    "ukrainian": "Ukrainian",
    "mongolian": "Mongolian",
    "persian": "Persian",
    "odia": "Odia",
    "assamese": "Assamese",
    "kannada": "Kannada",
    "tagalog": "Tagalog",
    "amharic": "Amharic",
    "serbian": "Serbian",
    "slovak": "Slovak",
    "swahili": "Swahili",
}

SCRIPT_STYLES: dict[str, str] = {
    "Don't Worry": "Casual and reassuring tone",
    "Discovery": "Exploratory and revealing style",
    "Data": "Fact-based and analytical presentation",
    "Top 3 reasons": "List-based persuasive format",
    "Soft Selling": "Gentle persuasion focusing on trust-building over hard pitching",
    "Humor & Meme": "Light-hearted engagement with funny, relatable content",
    "Feature Explainer": "Clear breakdown of product/service functionalities",
    "Soft Storytelling with Twist": "Emotional narrative with an unexpected plot turn",
    "Expert Advice": "Authoritative guidance based on industry experience",
    "Unboxing & Review": "Immersive first-hand experience sharing",
    "Challenge": "Interactive task prompting audience participation",
    "Problem/Solution": "Clear identification of issues with practical remedies",
    "Comparison": "Side-by-side analysis of pros/cons for informed decisions",
    "Creative/Innovative": "Original concepts breaking conventional boundaries",
    "Emotional Appeal": "Empathetic connection through shared feelings",
    "Immersive Storytelling": "Vivid narrative creating strong audience immersion",
}


# Project status codes of GET /v1/project.
class ProjectStatus(IntEnum):
    """`status_code` of a project (`GET /project`)."""

    START = 1
    WAITING = 2
    PROCESSING = 3
    SUCCESS = 4
    FAILED = 5
    DELETED = 99

    @property
    def finished(self) -> bool:
        return self in (ProjectStatus.SUCCESS, ProjectStatus.FAILED, ProjectStatus.DELETED)


STATUS_START = ProjectStatus.START
STATUS_WAITING = ProjectStatus.WAITING
STATUS_PROCESSING = ProjectStatus.PROCESSING
STATUS_SUCCESS = ProjectStatus.SUCCESS
STATUS_FAILED = ProjectStatus.FAILED
STATUS_DELETED = ProjectStatus.DELETED
PROJECT_STATUSES: dict[int, str] = {status: status.name.lower() for status in ProjectStatus}


class ErrorCode(IntEnum):
    """Business codes of the response envelope; every one comes with HTTP 200."""

    OK = 0
    RATE_LIMITED = 429
    NOT_FOUND = 10104
    BAD_API_KEY = 10105
    INSUFFICIENT_CREDIT = 18020
    NO_PERMISSION = 18025
    BAD_PARAMETER = 40000
    SYSTEM_ERROR = 50000


CODE_OK = ErrorCode.OK
CODE_RATE_LIMITED = ErrorCode.RATE_LIMITED
CODE_NOT_FOUND = ErrorCode.NOT_FOUND
CODE_BAD_API_KEY = ErrorCode.BAD_API_KEY
CODE_INSUFFICIENT_CREDIT = ErrorCode.INSUFFICIENT_CREDIT
CODE_NO_PERMISSION = ErrorCode.NO_PERMISSION
CODE_BAD_PARAMETER = ErrorCode.BAD_PARAMETER
CODE_SYSTEM_ERROR = ErrorCode.SYSTEM_ERROR
ERROR_CODES: dict[int, str] = {
    CODE_RATE_LIMITED: "Rate limit exceeded",
    CODE_NOT_FOUND: "Record not found",
    CODE_BAD_API_KEY: "Invalid API key",
    CODE_INSUFFICIENT_CREDIT: "Insufficient credit",
    CODE_NO_PERMISSION: "No permission to call APIs",
    CODE_BAD_PARAMETER: "Parameter error",
    CODE_SYSTEM_ERROR: "System error",
}

"""`jogg-pipeline report`: one self-contained HTML page per set of manifests, for people to
judge a campaign by watching its videos. Reading (`sources`), where files are from the page's
folder (`locations`), the words of a summary (`summary`), what to do next (`advice`), the cards
(`cards`), the changes between two manifests (`changes`) and the page itself (`page`)."""

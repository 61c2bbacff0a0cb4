"""Reading the text: normalise, split into sentences, scan the lexicon, match gazetteers and numbers."""

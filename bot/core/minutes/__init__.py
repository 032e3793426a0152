"""The minutes (møteprotokoll): drafted from what happened in the meeting, written out as one neutral document
that the Markdown and PDF writers both render, so the file and the fingerprint say the same."""

// Imported first by the UI tests, before ink (and its chalk) is loaded: colours and inverse video
// are part of what the chrome shows (the selected profile, the focused header), so keep them in frames.
process.env.FORCE_COLOR = '1';

/** Colour-blind-safe series colours (Okabe-Ito), readable on the dark background. */
export const SERIES_COLOURS = ["#56B4E9", "#E69F00", "#009E73", "#F0E442", "#CC79A7", "#D55E00", "#0072B2", "#999999"];
export const seriesColour = (i: number) => SERIES_COLOURS[i % SERIES_COLOURS.length]!;

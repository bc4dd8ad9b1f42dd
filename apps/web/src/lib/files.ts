/** Browser URL of an API resource path such as Image.displayUrl ("/images/<id>/display.png"). */
export const fileUrl = (apiPath: string) => `/api/files${apiPath}`;

/** Browser URL of a thumbnail next to an image's display URL. */
export const thumbnailUrl = (displayUrl: string, sizePx: 128 | 256 | 512 = 128) =>
  fileUrl(displayUrl.replace(/\/display\.png$/, "/thumbnail.png")) + `?size=${sizePx}`;

/** Browser URL of the full-depth pixels next to an image's display URL. */
export const pixelsUrl = (displayUrl: string) => fileUrl(displayUrl.replace(/\/display\.png$/, "/pixels.bin"));

/** Browser URL of an API resource path such as Image.displayUrl ("/images/<id>/display.png"). */
export const fileUrl = (apiPath: string) => `/api/files${apiPath}`;

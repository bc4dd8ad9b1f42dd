import dcmjs from "dcmjs";
import type { Db } from "@mammo/db";
import { renderDisplayPixels } from "@mammo/imaging";
import sharp from "sharp";
import { z } from "zod";
import type { Viewer } from "../../auth/viewer.ts";
import { AppError } from "../../errors/app-error.ts";
import { parseInput } from "../../errors/parse-input.ts";
import { callPacs } from "./pacs-errors.ts";
import { openPacs } from "./pacs.service.ts";

const UID = z
  .string()
  .regex(/^[0-9]+(\.[0-9]+)*$/, "a DICOM UID")
  .max(64);
const objectInput = z.object({
  connectionId: z.uuid(),
  studyInstanceUid: UID,
  seriesInstanceUid: UID,
  sopInstanceUid: UID,
});

/**
 * An object on a site's PACS (e.g. a heatmap the platform sent back) as a PNG for the viewer:
 * retrieved over WADO-RS with the site's credentials; RGB objects as they are, grey images
 * through the same display pipeline as imported ones. Admins and coordinators of the site.
 */
export async function renderPacsObject(
  db: Db,
  sealingSecret: string,
  viewer: Viewer,
  input: z.input<typeof objectInput>,
) {
  const args = parseInput(objectInput, input);
  const { client } = await openPacs(db, sealingSecret, viewer, args.connectionId);
  const bytes = await callPacs(() => client.retrieveInstance(args));
  const ds = dcmjs.data.DicomMetaDictionary.naturalizeDataset(
    dcmjs.data.DicomMessage.readFile(bytes.slice().buffer).dict,
  );
  if (ds.PhotometricInterpretation === "RGB" && ds.BitsAllocated === 8 && Array.isArray(ds.PixelData)) {
    const [width, height] = [Number(ds.Columns), Number(ds.Rows)];
    const rgb = new Uint8Array(ds.PixelData[0] as ArrayBuffer);
    if (ds.PlanarConfiguration === 1 || rgb.length < width * height * 3)
      throw new AppError("UNSUPPORTED_MEDIA", "this RGB object's pixel layout cannot be shown");
    return sharp(rgb.subarray(0, width * height * 3), { raw: { width, height, channels: 3 } })
      .png()
      .toBuffer();
  }
  const display = await renderDisplayPixels(bytes);
  return sharp(display.pixels, { raw: { width: display.widthPx, height: display.heightPx, channels: 1 } })
    .png()
    .toBuffer();
}

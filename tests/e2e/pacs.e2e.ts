import { buildHeatmapCapture, createDicomwebClient } from "@mammo/dicomweb";
import {
  fourViewStudy,
  instanceUidOf,
  seriesUidOf,
  studyUidOf,
  type StudyIdentity,
  orthancMissing,
  startOrthanc,
  type OrthancServer,
} from "@mammo/dicomweb/testing";
import { checkScreen, expect, expectViewerReady, pageFor, test } from "./support/fixtures.ts";
import { signIn } from "./support/sign-in.ts";

// A hospital's PACS (a real Orthanc with DICOMweb, on a free port): the site admin points the
// platform at it, a coordinator finds a study by its accession number, imports it (a job on the
// queue, through the same ingest as file imports) and opens the case with its four views.
const STUDY: StudyIdentity = {
  patientId: "MRN-E2E-1",
  patientName: "Pacs^Patricia",
  accessionNumber: "ACC-E2E-0001",
  studyDate: "20240115",
  uidStem: "1.2.826.0.1.3680043.8.498.90001",
};

let orthanc: OrthancServer;
test.beforeAll(async () => {
  test.skip(Boolean(orthancMissing()), "Orthanc is not installed");
  orthanc = await startOrthanc();
  for (const file of await fourViewStudy(STUDY, { width: 256, height: 320 })) await orthanc.upload(file);
});
test.afterAll(async () => orthanc?.stop());

test("an admin configures the PACS; a coordinator searches it, imports a study and sees its four views", async ({
  page,
  browser,
  consoleErrors,
}) => {
  test.setTimeout(240_000); // the platform imports through its queue, and the case page is checked twice
  await signIn(page, "admin@north.example");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "PACS" }).click();
  const form = page.getByRole("form", { name: "New PACS" });
  await form.getByLabel("Name").fill("Hospital PACS");
  await form.getByLabel("DICOMweb URL").fill(orthanc.dicomwebUrl);
  await form.getByRole("button", { name: "Add PACS" }).click();
  await expect(form.getByRole("status")).toHaveText("PACS Hospital PACS added.");
  await expect(page.getByRole("table", { name: "PACS connections" })).toContainText(orthanc.dicomwebUrl);

  const coordinator = await pageFor(browser, consoleErrors, "coordinator@north.example");
  await coordinator.goto("/pacs");
  const search = coordinator.getByRole("form", { name: "Search the PACS" });
  await search.getByLabel("Accession number").fill(STUDY.accessionNumber);
  await search.getByRole("button", { name: "Search" }).click();
  const found = coordinator.getByRole("table", { name: "PACS studies" });
  await expect(found.getByRole("row")).toHaveCount(2); // the header and the study
  await expect(found).toContainText("Pacs^Patricia (MRN-E2E-1)");
  await checkScreen(coordinator, "pacs-search");
  await found.getByRole("checkbox", { name: `Import ${STUDY.accessionNumber}` }).check();
  await coordinator.getByRole("button", { name: "Import selected" }).click();
  await expect(coordinator.getByRole("status").filter({ hasText: "Import of 1 study queued." })).toBeVisible();

  // The worker of the running platform takes the job; the page follows its progress.
  const row = coordinator.getByTestId("pacs-import").first();
  await expect(row).toContainText("succeeded", { timeout: 60_000 });
  await expect(row).toContainText("1 of 1");
  await expect(row).toContainText("imported, 4 images");
  await row.getByRole("link", { name: "case" }).click();
  await expect(coordinator.getByRole("heading", { name: /Case S-/ })).toBeVisible();
  await expectViewerReady(coordinator);
  // De-identified on the way in: nothing of the PACS's patient on the case page.
  await expect(coordinator.locator("body")).not.toContainText(STUDY.patientId);
  await expect(coordinator.locator("body")).not.toContainText("Patricia");

  // A heatmap in the study on the PACS (a Secondary Capture as exportResultsToPacs writes it:
  // apps/api/src/modules/pacs/pacs-export.integration.test.ts) is shown on the case page,
  // fetched from the PACS through the API.
  const heatmap = { width: 4, height: 4, data: Float32Array.from({ length: 16 }, (_, i) => i / 15) };
  const capture = buildHeatmapCapture({
    study: { ...STUDY, studyInstanceUid: studyUidOf(STUDY) },
    author: { manufacturer: "Mammo Research Platform", softwareVersion: "e2e", deviceUid: "2.25.1", deviceName: "e2e" },
    source: {
      sopClassUid: "1.2.840.10008.5.1.4.1.1.1.2",
      sopInstanceUid: instanceUidOf(STUDY, 0),
      seriesInstanceUid: seriesUidOf(STUDY),
      widthPx: 256,
      heightPx: 320,
      laterality: "R",
    },
    display: new Uint8Array(256 * 320).fill(90),
    heatmap,
    method: "GRAD_CAM",
    layerName: "block5_conv3",
    className: "SOLID",
    score: 0.9,
    modelVersion: "e2e v1",
  });
  await createDicomwebClient({ baseUrl: orthanc.dicomwebUrl, auth: { kind: "NONE" } }).storeInstances([capture.bytes]);
  await coordinator.reload();
  const shown = coordinator.getByRole("img", { name: `Heatmap ${capture.sopInstanceUid} as stored on the PACS` });
  await expect(shown).toBeVisible();
  await expect
    .poll(() => shown.evaluate((img: HTMLImageElement) => [img.complete, img.naturalWidth, img.naturalHeight]))
    .toEqual([true, 256, 320]);
  await checkScreen(coordinator, "pacs-case");
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCase, createLabel, createSite, createUser, globalId } from "../../../test/factories.ts";
import { errorCode, startTestApi, type TestApi } from "../../../test/harness.ts";

const CREATE = /* GraphQL */ `
  mutation Create($input: CreateAnnotationInput!) {
    createAnnotation(input: $input) {
      id
      purpose
      shape
      geometry
      note
      author {
        name
      }
      finding {
        key
        truth
      }
      image {
        widthPx
      }
    }
  }
`;
const UPDATE = /* GraphQL */ `
  mutation Update($input: UpdateAnnotationInput!) {
    updateAnnotation(input: $input) {
      id
      shape
      geometry
      note
    }
  }
`;
const DELETE = /* GraphQL */ `
  mutation Delete($id: ID!) {
    deleteAnnotation(id: $id) {
      id
      deletedAt
    }
  }
`;
const IMAGE = /* GraphQL */ `
  query Image($id: ID!) {
    node(id: $id) {
      ... on Image {
        annotations {
          id
          shape
        }
      }
    }
  }
`;

describe("ROI annotations", () => {
  let api: TestApi;
  let imageId: string;
  let findingId: string;
  let leftImageId: string;
  let annotator: string;
  let otherAnnotator: string;
  let coordinator: string;
  let foreignAnnotator: string;

  beforeAll(async () => {
    api = await startTestApi();
    const site = await createSite(api.db);
    const other = await createSite(api.db);
    annotator = (await createUser(api.db, [{ siteId: site.id, role: "ANNOTATOR" }])).id;
    otherAnnotator = (await createUser(api.db, [{ siteId: site.id, role: "ANNOTATOR" }])).id;
    coordinator = (await createUser(api.db, [{ siteId: site.id, role: "COORDINATOR" }])).id;
    foreignAnnotator = (await createUser(api.db, [{ siteId: other.id, role: "ANNOTATOR" }])).id;
    const c = await createCase(api.db, api.blobs, site.id); // images are 8 x 10 px
    const image = (laterality: "R" | "L") => api.db.image.findFirstOrThrow({ where: { caseId: c.id, laterality } });
    imageId = globalId("Image", (await image("R")).id);
    leftImageId = globalId("Image", (await image("L")).id);
    findingId = globalId("Finding", (await createLabel(api.db, c.id, annotator, "SOLID")).findingId); // on the right breast
  });
  afterAll(async () => {
    await api.stop();
  });

  const create = (userId: string, shape: string, geometry: unknown, extra: Record<string, unknown> = {}) =>
    api.tryAs<{ createAnnotation: { id: string; geometry: unknown } }>(userId, CREATE, {
      input: { imageId, purpose: "LESION", shape, geometry, ...extra },
    });
  const shapes = async (userId = annotator) =>
    (await api.as<{ node: { annotations: { shape: string }[] } }>(userId, IMAGE, { id: imageId })).node.annotations.map(
      (a) => a.shape,
    );

  it("draws points, boxes, ellipses and polygons in pixel coordinates, outlining a finding, with author and audit", async () => {
    const drawn = [
      await create(annotator, "POINT", { x: 4, y: 5 }),
      await create(annotator, "BOX", { x: 1, y: 1, width: 6, height: 8 }),
      await create(
        annotator,
        "ELLIPSE",
        { cx: 4, cy: 5, rx: 3, ry: 4, rotationRad: 0 },
        { findingId, note: "spiculated margin" },
      ),
      await create(annotator, "POLYGON", {
        points: [
          [1, 1],
          [7, 1],
          [4, 9],
        ],
      }),
    ];
    expect(drawn.map((d) => d.errors)).toEqual([undefined, undefined, undefined, undefined]);
    expect(drawn[2]!.data?.createAnnotation).toMatchObject({
      geometry: { cx: 4, cy: 5, rx: 3, ry: 4, rotationRad: 0 },
      finding: { key: "R", truth: "SOLID" },
      note: "spiculated margin",
      image: { widthPx: 8 },
    });
    expect(await shapes()).toEqual(["POINT", "BOX", "ELLIPSE", "POLYGON"]);
    expect(await api.db.auditEvent.count({ where: { action: "annotation.create" } })).toBe(4);
  });

  it("refuses regions outside the image, a polygon of fewer than 3 points or no area, and malformed geometry, naming the field", async () => {
    const before = await api.db.annotation.count();
    for (const [shape, geometry, message] of [
      ["POINT", { x: 9, y: 5 }, /outside the 8x10 image/],
      ["BOX", { x: 4, y: 4, width: 5, height: 2 }, /outside/],
      ["ELLIPSE", { cx: 4, cy: 5, rx: 1, ry: 4.5, rotationRad: Math.PI / 2 }, /outside/], // fits upright, not turned sideways
      ["ELLIPSE", { cx: 2, cy: 5, rx: 3, ry: 1 }, /outside/],
      [
        "POLYGON",
        {
          points: [
            [1, 1],
            [2, 2],
          ],
        },
        /at least 3 points/,
      ],
      [
        "POLYGON",
        {
          points: [
            [1, 1],
            [2, 2],
            [3, 3],
          ],
        },
        /no area/,
      ],
      ["BOX", { x: 1, y: 1, width: -2, height: 3 }, /width/],
      ["POINT", { x: 1 }, /geometry\.y/],
    ] as const) {
      const result = await create(annotator, shape, geometry);
      expect(result.errors?.[0]?.extensions, JSON.stringify(geometry)).toMatchObject({
        code: "BAD_USER_INPUT",
        field: "geometry",
      });
      expect(result.errors?.[0]?.message).toMatch(message);
    }
    const wrongFinding = await create(
      annotator,
      "POINT",
      { x: 1, y: 1 },
      { findingId: globalId("Finding", "00000000-0000-4000-8000-000000000001") },
    );
    expect(wrongFinding.errors?.[0]?.extensions).toMatchObject({ field: "findingId" });
    // The right breast's finding is not outlined on a left-breast image.
    const otherBreast = await api.tryAs(annotator, CREATE, {
      input: { imageId: leftImageId, purpose: "LESION", shape: "POINT", geometry: { x: 1, y: 1 }, findingId },
    });
    expect(otherBreast.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "findingId" });
    expect(otherBreast.errors?.[0]?.message).toMatch(/finding R is in the R breast, the image shows the L/);
    expect(await api.db.annotation.count()).toBe(before);
  });

  it("only the author edits and deletes (softly); deleted regions leave the lists", async () => {
    const { id } = (await create(annotator, "BOX", { x: 1, y: 1, width: 2, height: 2 })).data!.createAnnotation;
    expect(errorCode(await api.tryAs(otherAnnotator, UPDATE, { input: { annotationId: id, note: "mine now" } }))).toBe(
      "FORBIDDEN",
    );
    expect(errorCode(await api.tryAs(coordinator, DELETE, { id }))).toBe("FORBIDDEN");
    expect(errorCode(await api.tryAs(foreignAnnotator, DELETE, { id }))).toBe("NOT_FOUND");
    const onlyShape = await api.tryAs(annotator, UPDATE, { input: { annotationId: id, shape: "POINT" } });
    expect(onlyShape.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "geometry" });
    const moved = await api.as<{ updateAnnotation: unknown }>(annotator, UPDATE, {
      input: { annotationId: id, shape: "POINT", geometry: { x: 3, y: 3 }, note: "a point after all" },
    });
    expect(moved.updateAnnotation).toMatchObject({
      shape: "POINT",
      geometry: { x: 3, y: 3 },
      note: "a point after all",
    });
    const count = (await shapes()).length;
    const deleted = await api.as<{ deleteAnnotation: { deletedAt: string | null } }>(annotator, DELETE, { id });
    expect(deleted.deleteAnnotation.deletedAt).not.toBeNull();
    expect((await shapes()).length).toBe(count - 1);
    expect(errorCode(await api.tryAs(annotator, DELETE, { id }))).toBe("NOT_FOUND");
    const audit = await api.db.auditEvent.findMany({
      where: { entityType: "Annotation", entityId: Buffer.from(id, "base64").toString().split(":")[1] },
      orderBy: { id: "asc" },
    });
    expect(audit.map((a) => a.action)).toEqual(["annotation.create", "annotation.update", "annotation.delete"]);
  });

  it("coordinators see regions but cannot draw; other sites see nothing", async () => {
    expect((await shapes(coordinator)).length).toBeGreaterThan(0);
    expect(errorCode(await create(coordinator, "POINT", { x: 1, y: 1 }))).toBe("FORBIDDEN");
    expect(errorCode(await create(foreignAnnotator, "POINT", { x: 1, y: 1 }))).toBe("NOT_FOUND");
    expect((await api.as<{ node: unknown }>(foreignAnnotator, IMAGE, { id: imageId })).node).toBeNull();
  });
});

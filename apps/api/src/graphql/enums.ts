import {
  ImageStatus,
  Laterality,
  Photometric,
  Role,
  SourceFormat,
  SpecimenSource,
  Subtype,
  ViewPosition,
} from "@mammo/db";
import { builder } from "./builder.ts";

export const RoleEnum = builder.enumType(Role, { name: "Role" });
export const SubtypeEnum = builder.enumType(Subtype, {
  name: "Subtype",
  description: "Pathological subtype of the case (Japanese classification of IDC), or benign/normal",
});
export const SpecimenSourceEnum = builder.enumType(SpecimenSource, { name: "SpecimenSource" });
export const LateralityEnum = builder.enumType(Laterality, { name: "Laterality" });
export const ViewPositionEnum = builder.enumType(ViewPosition, { name: "ViewPosition" });
export const PhotometricEnum = builder.enumType(Photometric, { name: "Photometric" });
export const SourceFormatEnum = builder.enumType(SourceFormat, { name: "SourceFormat" });
export const ImageStatusEnum = builder.enumType(ImageStatus, { name: "ImageStatus" });

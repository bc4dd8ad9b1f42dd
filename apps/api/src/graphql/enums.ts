import {
  ImageStatus,
  Laterality,
  Photometric,
  PresentationIntent,
  Role,
  SourceFormat,
  SpecimenSource,
  Subtype,
  ViewModifier,
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
export const ViewModifierEnum = builder.enumType(ViewModifier, {
  name: "ViewModifier",
  description: "Mammography view modifier (DICOM CID 4015): spot compression, magnification, implant displaced...",
});
export const PresentationIntentEnum = builder.enumType(PresentationIntent, {
  name: "PresentationIntent",
  description: "FOR_PROCESSING: a detector's raw data, kept but left out of datasets and reading",
});

import {
  ConsensusMethod,
  ImageStatus,
  Laterality,
  Photometric,
  PresentationIntent,
  Role,
  SourceFormat,
  SpecimenSource,
  Subtype,
  ViewModifier,
  TruthStatus,
  ViewPosition,
} from "@mammo/db";
import { builder } from "./builder.ts";

export const RoleEnum = builder.enumType(Role, { name: "Role" });
export const SubtypeEnum = builder.enumType(Subtype, {
  name: "Subtype",
  description: "Pathological subtype of a finding (Japanese classification of IDC), or benign/normal",
});
export const TruthStatusEnum = builder.enumType(TruthStatus, {
  name: "TruthStatus",
  description:
    "UNLABELLED: no current label; LABELLED: current labels agree (a breast or case: its findings agree on one class); CONFLICT: they disagree, or a breast labelled NORMAL has a lesion; ADJUDICATED: a current consensus decision (a breast or case: every labelled finding); MIXED: a breast whose findings have two classes of the same severity",
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
export const ConsensusMethodEnum = builder.enumType(ConsensusMethod, { name: "ConsensusMethod" });

export const SUBTYPES = ["TUBULE_FORMING", "SOLID", "SCIRRHOUS", "OTHER_INVASIVE", "BENIGN", "NORMAL"] as const;
export type Subtype = (typeof SUBTYPES)[number];

export const SUBTYPE_LABEL: Record<Subtype, string> = {
  TUBULE_FORMING: "Tubule forming",
  SOLID: "Solid",
  SCIRRHOUS: "Scirrhous",
  OTHER_INVASIVE: "Other invasive",
  BENIGN: "Benign",
  NORMAL: "Normal",
};

export const subtypeLabel = (s: string) => SUBTYPE_LABEL[s as Subtype] ?? s;

export const LABEL_STATUSES = ["UNLABELLED", "LABELLED", "CONFLICT", "ADJUDICATED"] as const;
export type LabelStatus = (typeof LABEL_STATUSES)[number];
export const LABEL_STATUS_LABEL: Record<LabelStatus, string> = {
  UNLABELLED: "Unlabelled",
  LABELLED: "Labelled",
  CONFLICT: "Conflict",
  ADJUDICATED: "Adjudicated",
};

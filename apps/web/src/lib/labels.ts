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

/** The three IDC subtypes of the Ueda study: what a new study or dataset offers unless changed. */
export const IDC_SUBTYPES: readonly Subtype[] = ["TUBULE_FORMING", "SOLID", "SCIRRHOUS"];

/** A role as people read it: "ML_ENGINEER" -> "ml engineer". */
export const roleLabel = (role: string) => role.replace("_", " ").toLowerCase();

export const subtypeLabel = (s: string) => SUBTYPE_LABEL[s as Subtype] ?? s;

export const LABEL_STATUSES = ["UNLABELLED", "LABELLED", "CONFLICT", "ADJUDICATED"] as const;
export type LabelStatus = (typeof LABEL_STATUSES)[number];
export const LABEL_STATUS_LABEL: Record<LabelStatus, string> = {
  UNLABELLED: "Unlabelled",
  LABELLED: "Labelled",
  CONFLICT: "Conflict",
  ADJUDICATED: "Adjudicated",
};

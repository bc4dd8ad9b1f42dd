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

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

const SALIENCY_METHOD_LABEL: Record<string, string> = { GRAD_CAM: "Grad-CAM", GRAD_CAM_PLUS_PLUS: "Grad-CAM++" };
const SALIENCY_SCORE_LABEL: Record<string, string> = {
  LOGIT: "logit",
  PROBABILITY: "probability",
  LOG_ODDS: "log-odds",
};

/** How a heatmap was made, in words: "Grad-CAM at block5_conv3, logit of Solid". */
export function heatmapDescription(map: { method: string; layerName: string; score: string; subtype: string | null }) {
  const of = map.subtype ? ` of ${subtypeLabel(map.subtype)}` : "";
  return `${SALIENCY_METHOD_LABEL[map.method] ?? map.method} at ${map.layerName}, ${SALIENCY_SCORE_LABEL[map.score] ?? map.score}${of}`;
}

export const LABEL_STATUSES = ["UNLABELLED", "LABELLED", "CONFLICT", "ADJUDICATED"] as const;
export type LabelStatus = (typeof LABEL_STATUSES)[number];
export const LABEL_STATUS_LABEL: Record<LabelStatus, string> = {
  UNLABELLED: "Unlabelled",
  LABELLED: "Labelled",
  CONFLICT: "Conflict",
  ADJUDICATED: "Adjudicated",
};

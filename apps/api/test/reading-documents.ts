// The reader's two requests (fetch my next case, submit a read), as the reading test and the
// reading load benchmark send them: one copy, so the benchmark measures what the test checks.

export const NEXT_CASE = /* GraphQL */ `
  query Next($studyId: ID!) {
    myNextCase(studyId: $studyId) {
      studyId
      caseCode
      position
      caseCount
      phase
      questions {
        kind
        options
        isRequired
      }
      images {
        id
        laterality
        view
        widthPx
        heightPx
        displayUrl
      }
      myUnaidedRead {
        answer
        confidence
      }
      ai {
        answer
        probabilities {
          subtype
          probability
        }
        heatmaps {
          imageId
          url
        }
      }
    }
  }
`;
export const SUBMIT_READ = /* GraphQL */ `
  mutation Submit($input: SubmitReadInput!) {
    submitRead(input: $input) {
      read {
        id
        caseCode
        phase
        version
        answer
        confidence
        roi {
          shape
          geometry
        }
        timeSpentMs
      }
      next {
        caseCode
        phase
      }
    }
  }
`;

package dev.ticketoffload.server.admission;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AdmissionControlTest {

  @Test
  void tryAdmit_pastCapacity_isRefusedAndCounted() {
    AdmissionControl admission = new AdmissionControl(100, 0.5);
    Permit first = admission.tryAdmit(WorkKind.OPEN, 80);
    assertThat(first).isNotNull();
    assertThat(admission.tryAdmit(WorkKind.OPEN, 21)).isNull();
    assertThat(admission.shed(WorkKind.OPEN)).isEqualTo(1);
    assertThat(admission.tryAdmit(WorkKind.OPEN, 20)).isNotNull();
    assertThat(admission.inFlightItems()).isEqualTo(100);
  }

  @Test
  void seals_areShedOnceLoadPassesTheirShare_whileOpensStillFit() {
    AdmissionControl admission = new AdmissionControl(100, 0.5);
    assertThat(admission.tryAdmit(WorkKind.OPEN, 45)).isNotNull();
    assertThat(admission.tryAdmit(WorkKind.SEAL, 10)).isNull();
    assertThat(admission.tryAdmit(WorkKind.OPEN, 50)).isNotNull();
    assertThat(admission.shed(WorkKind.SEAL)).isEqualTo(1);
    assertThat(admission.shed(WorkKind.OPEN)).isZero();
  }

  @Test
  void close_returnsItemsOnce() {
    AdmissionControl admission = new AdmissionControl(10, 1.0);
    Permit permit = admission.tryAdmit(WorkKind.SEAL, 10);
    permit.close();
    permit.close();
    assertThat(admission.inFlightItems()).isZero();
    assertThat(admission.inFlightSealItems()).isZero();
    assertThat(admission.tryAdmit(WorkKind.SEAL, 10)).isNotNull();
  }

  @Test
  void batchLargerThanCapacity_isAdmittedOnlyAlone() {
    AdmissionControl admission = new AdmissionControl(10, 1.0);
    Permit big = admission.tryAdmit(WorkKind.OPEN, 50);
    assertThat(big).isNotNull();
    assertThat(admission.tryAdmit(WorkKind.OPEN, 1)).isNull();
  }
}

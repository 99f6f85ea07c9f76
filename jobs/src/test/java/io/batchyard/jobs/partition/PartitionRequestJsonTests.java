package io.batchyard.jobs.partition;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.batch.integration.partition.StepExecutionRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PartitionRequestJsonTests {

	private final PartitionRequestJson json = new PartitionRequestJson(JsonMapper.builder().build());

	@Test
	void writesTheStepNameAndTheStepExecutionIdAndReadsThemBack() {
		String body = this.json.write(new StepExecutionRequest("loadReferenceRangeStep", 42));
		assertThat(body).isEqualTo("{\"stepName\":\"loadReferenceRangeStep\",\"stepExecutionId\":42}");
		StepExecutionRequest read = this.json.read(body);
		assertThat(read.getStepName()).isEqualTo("loadReferenceRangeStep");
		assertThat(read.getStepExecutionId()).isEqualTo(42);
		assertThat(this.json.read("{\"stepExecutionId\":7,\"stepName\":\"a.b-c_d\",\"later\":{\"x\":1}}")
			.getStepExecutionId()).isEqualTo(7);
	}

	@Test
	void refusesWhatIsNotARequestNamingWhy() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.json.read(""))
			.withMessage("The partition request is empty");
		assertThatIllegalArgumentException().isThrownBy(() -> this.json.read("{\"stepName\":"))
			.withMessageStartingWith("The partition request is not JSON: ");
		assertThatIllegalArgumentException().isThrownBy(() -> this.json.read("[1,2]"))
			.withMessage("The partition request must be a JSON object");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.json.read("{\"stepName\":\"s\",\"stepExecutionId\":\"12\"}"))
			.withMessage("The partition request needs a positive integer 'stepExecutionId'");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.json.read("{\"stepName\":\"s\",\"stepExecutionId\":1.5}"))
			.withMessage("The partition request needs a positive integer 'stepExecutionId'");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.json.read("{\"stepName\":\"s\",\"stepExecutionId\":0}"))
			.withMessage("The partition request needs a positive integer 'stepExecutionId'");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.json.read("{\"stepName\":\"s\",\"stepExecutionId\":99999999999999999999}"))
			.withMessage("The partition request needs a positive integer 'stepExecutionId'");
		assertThatIllegalArgumentException().isThrownBy(() -> this.json.read("{\"stepExecutionId\":3}"))
			.withMessageStartingWith("The partition request needs a 'stepName' of 1 to 100 letters");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.json.read("{\"stepName\":\"../../etc\",\"stepExecutionId\":3}"))
			.withMessageStartingWith("The partition request needs a 'stepName'");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.json.read("{\"stepName\":\"" + "s".repeat(101) + "\",\"stepExecutionId\":3}"))
			.withMessageStartingWith("The partition request needs a 'stepName'");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.json.read("{\"stepName\":\"s\",\"pad\":\"" + "x".repeat(2000) + "\"}"))
			.withMessageStartingWith("The partition request has 2");
	}

}

// Batchyard dashboard: confirmations, launch-form rows and live progress (server-sent events)
// of an execution's page and of the home page's running executions.
document.addEventListener('submit', function (event) {
	var message = event.target.getAttribute('data-confirm');
	if (message && !window.confirm(message)) {
		event.preventDefault();
	}
});
document.addEventListener('click', function (event) {
	if (event.target.classList.contains('add-row')) {
		var rows = event.target.form.querySelectorAll('.param-row');
		var row = rows[rows.length - 1].cloneNode(true);
		row.querySelectorAll('input').forEach(function (input) { input.value = ''; });
		rows[rows.length - 1].after(row);
	}
});
document.addEventListener('DOMContentLoaded', function () {
	var main = document.querySelector('main[data-execution]');
	if (!main || main.getAttribute('data-running') !== 'true' || !window.EventSource) {
		return;
	}
	var source = new EventSource(window.location.pathname.replace(/\/$/, '') + '/progress');
	// The server sends every second while the execution runs: a stream silent for 5 s,
	// or closed for good, is lost, and the page redraws from the repository instead.
	var lastEvent = Date.now();
	var watchdog = setInterval(function () {
		if (Date.now() - lastEvent > 5000 || source.readyState === EventSource.CLOSED) {
			clearInterval(watchdog);
			source.close();
			window.location.reload();
		}
	}, 1000);
	source.addEventListener('progress', function (event) {
		lastEvent = Date.now();
		var progress = JSON.parse(event.data);
		var status = document.getElementById('job-status');
		status.textContent = progress.status;
		status.className = 'status status-' + progress.status.toLowerCase();
		progress.steps.forEach(function (step) {
			var row = document.querySelector('tr[data-step="' + step.id + '"]');
			if (!row) {
				// A step started since the page was drawn: redraw the page.
				window.location.reload();
				return;
			}
			row.querySelector('.read').textContent = step.read;
			row.querySelector('.written').textContent = step.written;
			row.querySelector('.skipped').textContent = step.skipped;
			row.querySelector('.commits').textContent = step.commits;
			row.querySelector('.rate').textContent = step.itemsPerSecond + '/s';
			var badge = row.querySelector('.step-status');
			badge.textContent = step.status;
			badge.className = 'step-status status status-' + step.status.toLowerCase();
		});
	});
	source.addEventListener('done', function () {
		clearInterval(watchdog);
		source.close();
		// The final state, and the actions it allows now.
		window.location.reload();
	});
});
document.addEventListener('DOMContentLoaded', function () {
	var main = document.querySelector('main[data-running-stream]');
	if (!main || !window.EventSource) {
		return;
	}
	var shown = main.getAttribute('data-running-ids');
	var source = new EventSource(main.getAttribute('data-running-stream'));
	source.addEventListener('running', function (event) {
		var snapshot = JSON.parse(event.data);
		var ids = snapshot.executions.map(function (execution) { return execution.id; }).join(',');
		if (ids !== shown) {
			// One started or ended: redraw the page, whose other lists may change too.
			source.close();
			window.location.reload();
			return;
		}
		snapshot.executions.forEach(function (execution) {
			var item = document.querySelector('#running li[data-execution="' + execution.id + '"]');
			if (!item) {
				return;
			}
			var status = item.querySelector('.run-status');
			status.textContent = execution.status;
			status.className = 'run-status status status-' + execution.status.toLowerCase();
			item.querySelector('.step').textContent = execution.step ? 'in ' + execution.step : '';
			item.querySelector('.elapsed').textContent = 'for ' + execution.elapsed;
			item.querySelector('.progress').textContent = execution.read + ' read, ' + execution.written + ' written'
				+ (execution.skipped > 0 ? ', ' + execution.skipped + ' skipped' : '');
		});
	});
});

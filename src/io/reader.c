#include <pthread.h>
#include <signal.h>

#include "io/reader.h"

static void *
reader_main(void *arg)
{
	struct reader *r = arg;

	pthread_mutex_lock(&r->lock);
	for (;;) {
		while (r->job == NULL && !r->stop)
			pthread_cond_wait(&r->cond, &r->lock);
		if (r->job == NULL)
			break;
		pthread_mutex_unlock(&r->lock);
		r->job(r->arg);
		pthread_mutex_lock(&r->lock);
		r->job = NULL;
		pthread_cond_broadcast(&r->cond);
	}
	pthread_mutex_unlock(&r->lock);
	return NULL;
}

void
reader_start(struct reader *r)
{
	sigset_t all, old;

	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->cond, NULL);
	r->job = NULL;
	r->arg = NULL;
	r->stop = false;
	/*
	 * The signals that end the run (output.h) are left to the other
	 * threads; a fault of the files it reads still reaches it.
	 */
	sigfillset(&all);
	sigdelset(&all, SIGBUS);
	sigdelset(&all, SIGSEGV);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	r->running = pthread_create(&r->thread, NULL, reader_main, r) == 0;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

void
reader_wait(struct reader *r)
{
	pthread_mutex_lock(&r->lock);
	while (r->job != NULL)
		pthread_cond_wait(&r->cond, &r->lock);
	pthread_mutex_unlock(&r->lock);
}

void
reader_post(struct reader *r, void (*job)(void *), void *arg)
{
	reader_wait(r);
	if (!r->running) {
		job(arg);
		return;
	}
	pthread_mutex_lock(&r->lock);
	r->job = job;
	r->arg = arg;
	pthread_cond_broadcast(&r->cond);
	pthread_mutex_unlock(&r->lock);
}

void
reader_stop(struct reader *r)
{
	reader_wait(r);
	if (r->running) {
		pthread_mutex_lock(&r->lock);
		r->stop = true;
		pthread_cond_broadcast(&r->cond);
		pthread_mutex_unlock(&r->lock);
		pthread_join(r->thread, NULL);
		r->running = false;
	}
	pthread_cond_destroy(&r->cond);
	pthread_mutex_destroy(&r->lock);
}

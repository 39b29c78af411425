/*
 * A thread of its own for reading and writing back while the threads
 * compute: one job at a time, posted by the thread that drives them.
 * Out of core, it reads the inputs of the next call of the engine while
 * the current one runs, so that the disk and the cores work at once.
 */
#ifndef PARDOT_READER_H
#define PARDOT_READER_H

#include <pthread.h>
#include <stdbool.h>

struct reader {
	pthread_t	 thread;
	pthread_mutex_t	 lock;
	pthread_cond_t	 cond;
	void		(*job)(void *);	/* the job posted; NULL when done */
	void		*arg;
	bool		 running;	/* the thread exists */
	bool		 stop;
};

/*
 * Starts the thread. Should it fail to start, jobs run in reader_post
 * itself, so that the caller need not care.
 */
void	reader_start(struct reader *r);

/* Runs job(arg) on the thread, once the job before it is done. */
void	reader_post(struct reader *r, void (*job)(void *), void *arg);

/* Waits until the job posted last is done. */
void	reader_wait(struct reader *r);

/* Waits for the last job, then ends the thread. */
void	reader_stop(struct reader *r);

#endif

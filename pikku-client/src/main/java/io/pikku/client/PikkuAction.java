package io.pikku.client;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the action a method of a declarative client calls, when it differs from the
 * method's name.
 *
 * @see PikkuClientProxyFactory
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface PikkuAction {

	/**
	 * The action.
	 * @return the action's name
	 */
	String value();

}
